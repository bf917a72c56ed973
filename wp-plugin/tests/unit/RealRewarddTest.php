<?php
/**
 * Connect and Disconnect against the real rewardd daemon instead of the fake.
 * - REWARDD_URL and REWARDD_ADMIN_TOKEN set: uses that running daemon.
 * - else REWARDD_BIN set: creates an admin token with `$REWARDD_BIN token create --scope admin`,
 *   starts `$REWARDD_BIN serve` on a free loopback port with a temp data dir, and also checks
 *   `$REWARDD_BIN shop list --json`.
 * - neither: skipped (the fake rewardd covers the plugin).
 *
 * @package Rewardd\Tests
 */

namespace Rewardd\Tests;

/**
 * The plugin against the real daemon.
 */
final class RealRewarddTest extends TestCase {

	/**
	 * The daemon process we started, if any.
	 *
	 * @var resource|null
	 */
	private static $process = null;

	/**
	 * Base URL.
	 *
	 * @var string
	 */
	private static $url = '';

	/**
	 * Admin token.
	 *
	 * @var string
	 */
	private static $token = '';

	/**
	 * Data dir of the daemon we started ('' when using REWARDD_URL).
	 *
	 * @var string
	 */
	private static $data_dir = '';

	/**
	 * Why the test cannot run ('' when it can).
	 *
	 * @var string
	 */
	private static $skip = '';

	public static function setUpBeforeClass(): void {
		$url   = (string) getenv( 'REWARDD_URL' );
		$token = (string) getenv( 'REWARDD_ADMIN_TOKEN' );
		$bin   = (string) getenv( 'REWARDD_BIN' );
		if ( '' !== $url && '' !== $token ) {
			self::$url   = rtrim( $url, '/' );
			self::$token = $token;
			return;
		}
		if ( '' === $bin ) {
			self::$skip = 'REWARDD_BIN is not set, so the test against the real rewardd is skipped; the fake rewardd covers the plugin. Run REWARDD_BIN=/path/to/rewardd scripts/test-php to include it.';
			return;
		}
		if ( ! is_executable( $bin ) ) {
			self::$skip = "REWARDD_BIN=$bin is not an executable file.";
			return;
		}
		exec( escapeshellarg( $bin ) . ' --help 2>&1', $help );
		if ( ! preg_match( '/^\s+token\s/m', implode( "\n", $help ) ) ) {
			self::$skip = "REWARDD_BIN=$bin lists no `token` command in its --help yet, so the test against the real rewardd is skipped.";
			return;
		}
		self::$data_dir = getenv( 'REWARDD_TEST_TMP' ) . '/rewardd-data';
		if ( ! is_dir( self::$data_dir ) ) {
			mkdir( self::$data_dir, 0700, true );
		}
		self::$token = self::admin_token( $bin );
		$port        = PhpServer::free_port();
		$log         = getenv( 'REWARDD_TEST_TMP' ) . '/rewardd-serve.log';
		self::$process = proc_open(
			array( $bin, 'serve', '--listen', '127.0.0.1:' . $port, '--data', self::$data_dir ),
			array(
				0 => array( 'file', '/dev/null', 'r' ),
				1 => array( 'file', $log, 'a' ),
				2 => array( 'file', $log, 'a' ),
			),
			$pipes
		);
		file_put_contents( getenv( 'REWARDD_TEST_TMP' ) . '/rewardd-serve.pid', (string) proc_get_status( self::$process )['pid'] );
		self::$url = 'http://127.0.0.1:' . $port;
		for ( $i = 0; $i < 150; $i++ ) {
			$response = wp_remote_get( self::$url . '/healthz', array( 'timeout' => 1 ) );
			if ( 200 === wp_remote_retrieve_response_code( $response ) ) {
				return;
			}
			if ( ! proc_get_status( self::$process )['running'] ) {
				break;
			}
			usleep( 100000 );
		}
		throw new \RuntimeException( 'rewardd serve did not answer GET /healthz: ' . (string) @file_get_contents( $log ) );
	}

	public static function tearDownAfterClass(): void {
		if ( is_resource( self::$process ) ) {
			proc_terminate( self::$process );
			proc_close( self::$process );
		}
	}

	protected function setUp(): void {
		parent::setUp();
		if ( '' !== self::$skip ) {
			$this->markTestSkipped( self::$skip );
		}
	}

	public function test_what_happens_when_an_admin_connects_to_the_real_rewardd(): void {
		global $wpdb;
		$this->configure( self::$url, self::$token );
		$admin = $this->as_admin();

		$pings = self::answers_woocommerce_pings();
		$this->admin_post( 'rewardd_connect' );
		$notices = (array) get_transient( 'rewardd_admin_notices_' . $admin->ID );
		$this->assertNotEmpty( get_option( 'rewardd_connection' ) );
		$hooks = $wpdb->get_results( "SELECT topic, pending_delivery FROM {$wpdb->prefix}wc_webhooks", ARRAY_A );
		$this->assertCount( 3, $hooks );
		if ( $pings ) {
			$this->assertSame( array( 'success' ), array_unique( array_column( $notices, 'type' ) ), wp_json_encode( $notices ) );
			$this->assertSame( array( '0' ), array_unique( array_column( $hooks, 'pending_delivery' ) ), 'rewardd answered the pings with 200' );
		} else {
			// This rewardd has no WooCommerce webhook route yet: the shop is registered, and the
			// admin is told that the pings went unanswered.
			$this->assertSame( array( 'success', 'warning' ), array_values( array_unique( array_column( $notices, 'type' ) ) ), wp_json_encode( $notices ) );
			$this->assertSame( array( '1' ), array_unique( array_column( $hooks, 'pending_delivery' ) ) );
		}
		if ( '' !== self::$data_dir ) {
			$shop = self::listed_shop( self::SHOP_ID );
			$this->assertNotNull( $shop, 'rewardd shop list shows the shop' );
			$this->assertSame( 'woocommerce', $shop['platform'] );
		}

		$html = $this->capture( array( $this->service( 'admin_page' ), 'render' ) );
		$this->assertStringContainsString( 'answers (version', self::text( $html ) );

		$this->admin_post( 'rewardd_disconnect' );
		$notices = (array) get_transient( 'rewardd_admin_notices_' . $admin->ID );
		$this->assertSame( array( 'success' ), array_unique( array_column( $notices, 'type' ) ), wp_json_encode( $notices ) );
		if ( '' !== self::$data_dir ) {
			$this->assertNull( self::listed_shop( self::SHOP_ID ), 'the shop is gone from rewardd' );
		}
	}

	/**
	 * Whether rewardd answers WooCommerce's webhook pings: a daemon built before its WooCommerce
	 * route existed answers "no such route" (404 not_found); with the route, an unknown shop is 401.
	 */
	private static function answers_woocommerce_pings(): bool {
		$response = wp_remote_post( self::$url . '/webhooks/woocommerce/no-such-shop', array( 'body' => 'webhook_id=1', 'timeout' => 2 ) );
		$body     = json_decode( (string) wp_remote_retrieve_body( $response ), true );
		return ! ( 404 === wp_remote_retrieve_response_code( $response ) && is_array( $body ) && 'not_found' === ( $body['error'] ?? '' ) );
	}

	/**
	 * Runs `token create --scope admin` and returns the token (its last stdout line).
	 *
	 * @param string $bin Daemon binary.
	 */
	private static function admin_token( string $bin ): string {
		$command = escapeshellarg( $bin ) . ' token create --scope admin --data ' . escapeshellarg( self::$data_dir ) . ' 2>&1';
		exec( $command, $lines, $status );
		$last = trim( (string) end( $lines ) );
		if ( 0 !== $status || '' === $last ) {
			throw new \RuntimeException( "rewardd token create failed ($status): " . implode( "\n", $lines ) );
		}
		return $last;
	}

	/**
	 * A shop from `shop list --json`, or null.
	 *
	 * @param string $id Shop id.
	 * @return array<string, mixed>|null
	 */
	private static function listed_shop( string $id ): ?array {
		$command = escapeshellarg( (string) getenv( 'REWARDD_BIN' ) ) . ' shop list --json --data ' . escapeshellarg( self::$data_dir );
		exec( $command, $lines, $status );
		$shops = json_decode( implode( "\n", $lines ), true );
		if ( 0 !== $status || ! is_array( $shops ) ) {
			throw new \RuntimeException( 'rewardd shop list --json failed: ' . implode( "\n", $lines ) );
		}
		foreach ( $shops as $shop ) {
			if ( isset( $shop['id'] ) && $id === $shop['id'] ) {
				return $shop;
			}
		}
		return null;
	}
}
