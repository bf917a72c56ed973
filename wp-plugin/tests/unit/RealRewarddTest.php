<?php
/**
 * The plugin against the real rewardd daemon instead of the fake (tests/RealRewardd.php says
 * which: REWARDD_URL + REWARDD_ADMIN_TOKEN, else one started from REWARDD_BIN, else skipped):
 * Connect and Disconnect, and a customer's Redeem through POST /api/v1/redeem.
 *
 * @package Rewardd\Tests
 */

namespace Rewardd\Tests;

/**
 * The plugin against the real daemon.
 */
final class RealRewarddTest extends TestCase {

	/**
	 * The daemon.
	 *
	 * @var RealRewardd|null
	 */
	private static $rewardd = null;

	public static function setUpBeforeClass(): void {
		self::$rewardd = new RealRewardd();
	}

	public static function tearDownAfterClass(): void {
		self::$rewardd->stop();
	}

	protected function setUp(): void {
		parent::setUp();
		if ( '' !== self::$rewardd->skip ) {
			$this->markTestSkipped( self::$rewardd->skip );
		}
	}

	public function test_what_happens_when_an_admin_connects_to_the_real_rewardd(): void {
		global $wpdb;
		$this->configure( self::$rewardd->url, self::$rewardd->token );
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
		if ( '' !== self::$rewardd->data_dir ) {
			$shop = self::listed_shop( self::SHOP_ID );
			$this->assertNotNull( $shop, 'rewardd shop list shows the shop' );
			$this->assertSame( 'woocommerce', $shop['platform'] );
		}

		$html = $this->capture( array( $this->service( 'admin_page' ), 'render' ) );
		$this->assertStringContainsString( 'answers (version', self::text( $html ) );

		$this->admin_post( 'rewardd_disconnect' );
		$notices = (array) get_transient( 'rewardd_admin_notices_' . $admin->ID );
		$this->assertSame( array( 'success' ), array_unique( array_column( $notices, 'type' ) ), wp_json_encode( $notices ) );
		if ( '' !== self::$rewardd->data_dir ) {
			$this->assertNull( self::listed_shop( self::SHOP_ID ), 'the shop is gone from rewardd' );
		}
	}

	public function test_what_happens_when_a_customer_redeems_against_the_real_rewardd(): void {
		if ( '' === self::$rewardd->data_dir ) {
			$this->markTestSkipped( 'needs a daemon started from REWARDD_BIN (points are given with `rewardd adjust`).' );
		}
		$this->configure( self::$rewardd->url, self::$rewardd->token );
		$this->as_admin();
		$this->admin_post( 'rewardd_connect' );
		$email = 'ola@example.test';
		$ola   = $this->customer( 'ola', $email );
		delete_user_meta( $ola->ID, 'rewardd_last_code' );
		self::$rewardd->run( array( 'adjust', $email, '--points', '1200', '--reason', 'welcome bonus' ) );
		wp_set_current_user( $ola->ID );
		$redemption = $this->service( 'redemption' );

		$first = $redemption->redeem( $ola, 600, 'wp-real-1' );
		$this->assertSame( 'success', $first['type'], $first['message'] );
		$code = get_user_meta( $ola->ID, 'rewardd_last_code', true );
		$this->assertMatchesRegularExpression( '/^RWD-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}$/', $code['code'], 'the code the outbox will create' );
		$this->assertSame( array( 600, 'NOK' ), array( $code['amount_minor'], $code['currency'] ), '600 points at 100 per 1.00 NOK' );
		$this->assertSame( "Your code is {$code['code']}. Enter it at checkout.", $first['message'] );

		$again = $redemption->redeem( $ola, 600, 'wp-real-1' );
		$this->assertSame( $first, $again, 'the same form again: the same code, nothing taken twice' );
		$this->assertSame( 600, $this->service( 'reader' )->customer( $email )['available'] );

		$refused = $redemption->redeem( $ola, 700, 'wp-real-2' );
		$this->assertSame( array( 'error', 'You do not have that many points available.' ), array( $refused['type'], $refused['message'] ) );
		$this->assertSame( 600, $this->service( 'reader' )->customer( $email )['available'] );
		$outbox = json_decode( implode( "\n", self::$rewardd->run( array( 'outbox', 'list', '--json' ) ) ), true );
		$this->assertSame( array( $code['code'] ), array_column( $outbox, 'code' ), 'one coupon queued for the shop' );
	}

	/**
	 * Whether rewardd answers WooCommerce's webhook pings: a daemon built before its WooCommerce
	 * route existed answers "no such route" (404 not_found); with the route, an unknown shop is 401.
	 */
	private static function answers_woocommerce_pings(): bool {
		$response = wp_remote_post( self::$rewardd->url . '/webhooks/woocommerce/no-such-shop', array( 'body' => 'webhook_id=1', 'timeout' => 2 ) );
		$body     = json_decode( (string) wp_remote_retrieve_body( $response ), true );
		return ! ( 404 === wp_remote_retrieve_response_code( $response ) && is_array( $body ) && 'not_found' === ( $body['error'] ?? '' ) );
	}

	/**
	 * A shop from `shop list --json`, or null.
	 *
	 * @param string $id Shop id.
	 * @return array<string, mixed>|null
	 */
	private static function listed_shop( string $id ): ?array {
		$shops = json_decode( implode( "\n", self::$rewardd->run( array( 'shop', 'list', '--json' ) ) ), true );
		foreach ( is_array( $shops ) ? $shops : array() as $shop ) {
			if ( isset( $shop['id'] ) && $id === $shop['id'] ) {
				return $shop;
			}
		}
		return null;
	}
}
