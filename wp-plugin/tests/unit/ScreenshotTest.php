<?php
/**
 * Screenshots of the settings page and the Rewards tab for the README, taken with headless
 * Chromium from the test WordPress served by `php -S`, connected to the REAL rewardd
 * (tests/RealRewardd.php) with a small program: tiers, a 14-day pending period, two orders of
 * Kari's sent as signed events, and one redemption through the plugin's Redeem. Not part of the
 * normal run: scripts/screenshots runs it (`--group screenshots`, chromium installed), writing to
 * REWARDD_SCREENSHOTS_DIR (default docs/screenshots/ of the repository).
 *
 * @package Rewardd\Tests
 */

namespace Rewardd\Tests;

/**
 * Screenshots.
 *
 * @group screenshots
 */
final class ScreenshotTest extends TestCase {

	const EMAIL  = 'kari@example.test';
	const POS    = 'shop-till';
	const SECRET = 'till-secret-0123456789';

	/**
	 * The daemon.
	 *
	 * @var RealRewardd|null
	 */
	private $rewardd = null;

	protected function tearDown(): void {
		if ( $this->rewardd ) {
			$this->rewardd->stop();
		}
		parent::tearDown();
	}

	public function test_what_happens_when_the_pages_are_photographed(): void {
		$chromium = trim( (string) shell_exec( 'command -v chromium chromium-browser 2>/dev/null | head -1' ) );
		if ( '' === $chromium ) {
			$this->markTestSkipped( 'chromium is not installed (apt-get install chromium; scripts/screenshots does).' );
		}
		$this->rewardd = new RealRewardd( 'screenshot-rewardd', array( self::class, 'program' ) );
		if ( '' !== $this->rewardd->skip || '' === $this->rewardd->data_dir ) {
			$this->markTestSkipped( 'needs REWARDD_BIN: ' . $this->rewardd->skip );
		}
		$dir = (string) ( getenv( 'REWARDD_SCREENSHOTS_DIR' ) ?: dirname( __DIR__, 3 ) . '/docs/screenshots' );
		if ( ! is_dir( $dir ) ) {
			mkdir( $dir, 0755, true );
		}
		$mu = WP_CONTENT_DIR . '/mu-plugins';
		if ( ! is_dir( $mu ) ) {
			mkdir( $mu, 0755, true );
		}
		copy( dirname( __DIR__ ) . '/bin/screenshot-login.php', $mu . '/rewardd-screenshot-login.php' );

		$this->configure( $this->rewardd->url, $this->rewardd->token );
		$this->as_admin();
		$this->admin_post( 'rewardd_connect' );
		delete_transient( 'rewardd_admin_notices_1' );
		$kari = $this->customer( 'kari', self::EMAIL );
		wp_update_user( array( 'ID' => $kari->ID, 'display_name' => 'Kari Nordmann' ) );
		delete_user_meta( $kari->ID, 'rewardd_last_code' );
		$this->orders();
		wp_set_current_user( $kari->ID );
		$redeemed = $this->service( 'redemption' )->redeem( wp_get_current_user(), 500, 'wp-screenshot' );
		$this->assertSame( 'success', $redeemed['type'], $redeemed['message'] );
		set_transient( 'rewardd_flash_' . $kari->ID, $redeemed, 600 );
		$this->service( 'reader' )->forget_customer( self::EMAIL );

		$settings = $dir . '/wp-settings.png';
		$rewards  = $dir . '/wp-rewards-tab.png';
		$this->shoot( $chromium, admin_url( 'admin.php?page=rewardd' ), 1, $settings );
		$this->shoot( $chromium, wc_get_account_endpoint_url( 'rewards' ), $kari->ID, $rewards );
		unlink( $mu . '/rewardd-screenshot-login.php' );
		delete_option( 'rewardd_screenshot_key' );
		$this->assertGreaterThan( 10000, filesize( $settings ) );
		$this->assertGreaterThan( 10000, filesize( $rewards ) );
	}

	/**
	 * Before serve starts: the rules (docs/rules.md) and the shop's till, a custom shop whose
	 * signed events stand in for WooCommerce orders (their webhooks are not replayed here).
	 *
	 * @param RealRewardd $rewardd Daemon being set up.
	 */
	public static function program( RealRewardd $rewardd ): void {
		$rules = $rewardd->data_dir . '/program.toml';
		file_put_contents(
			$rules,
			"pending_days = 14\nredeem_points_per_unit = 100\nredeem_minimum_points = 500\n\n" .
			"[[tiers]]\nname = \"Silver\"\nthreshold = \"1000.00\"\nmultiplier = \"1.25\"\n\n" .
			"[[tiers]]\nname = \"Gold\"\nthreshold = \"5000.00\"\nmultiplier = 2\n"
		);
		$rewardd->run( array( 'rules', 'set', $rules, '--effective-from', '2026-01-01T00:00:00Z' ) );
		$rewardd->run( array( 'shop', 'add', self::POS, '--platform', 'custom', '--secret', self::SECRET, '--currency', 'NOK' ) );
	}

	/**
	 * Two paid orders of Kari's: one past its pending period, one still pending; then waits
	 * until rewardd shows the first one's points as available.
	 */
	private function orders(): void {
		$this->post_event( 'evt-1011', '1011', 124000, time() - 40 * DAY_IN_SECONDS );
		$this->post_event( 'evt-1043', '1043', 39800, time() - 2 * DAY_IN_SECONDS );
		for ( $i = 0; $i < 100; $i++ ) {
			$this->service( 'reader' )->forget_customer( self::EMAIL );
			$account = $this->service( 'reader' )->customer( self::EMAIL );
			if ( is_array( $account ) && ( $account['available'] ?? 0 ) > 0 && ( $account['pending'] ?? 0 ) > 0 ) {
				return;
			}
			usleep( 100000 );
		}
		$this->fail( 'rewardd did not show the orders: ' . wp_json_encode( $account ) );
	}

	/**
	 * One signed order.paid event (shared/spec/EVENTS.md) to POST /api/v1/events.
	 *
	 * @param string $id    Event id.
	 * @param string $order Order number.
	 * @param int    $total Minor units (NOK).
	 * @param int    $at    When it was paid.
	 */
	private function post_event( string $id, string $order, int $total, int $at ): void {
		$body     = (string) wp_json_encode(
			array(
				'id'          => $id,
				'type'        => 'order.paid',
				'occurred_at' => gmdate( 'Y-m-d\TH:i:s\Z', $at ),
				'order'       => array(
					'id'       => $order,
					'currency' => 'NOK',
					'customer' => array( 'id' => '7', 'email' => self::EMAIL ),
					'lines'    => array( array( 'id' => 'l1', 'product_id' => 'p1', 'quantity' => 1, 'total' => $total ) ),
					'discount' => 0,
					'tax'      => 0,
					'shipping' => 0,
					'total'    => $total,
				),
			)
		);
		$response = wp_remote_post(
			$this->rewardd->url . '/api/v1/events',
			array(
				'body'    => $body,
				'headers' => array(
					'Content-Type'        => 'application/json',
					'X-Rewardd-Shop'      => self::POS,
					'X-Rewardd-Signature' => base64_encode( hash_hmac( 'sha256', $body, self::SECRET, true ) ), // phpcs:ignore WordPress.PHP.DiscouragedPHPFunctions -- the signature format.
				),
			)
		);
		$this->assertSame( 200, wp_remote_retrieve_response_code( $response ), (string) wp_remote_retrieve_body( $response ) );
	}

	/**
	 * One headless Chromium screenshot as a user.
	 *
	 * @param string $chromium Binary.
	 * @param string $url      Page.
	 * @param int    $user_id  Logged-in user.
	 * @param string $file     PNG to write.
	 */
	private function shoot( string $chromium, string $url, int $user_id, string $file ): void {
		$key = wp_generate_password( 32, false );
		update_option( 'rewardd_screenshot_key', array( 'key' => $key, 'user_id' => $user_id ), false );
		$profile = getenv( 'REWARDD_TEST_TMP' ) . '/chromium-' . $user_id;
		$command = array(
			$chromium, '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
			'--disable-component-update', '--disable-sync', '--no-first-run', '--hide-scrollbars',
			'--user-data-dir=' . $profile, '--screenshot=' . $file, '--window-size=1200,900',
			add_query_arg( 'rewardd_screenshot_key', $key, $url ),
		);
		exec( implode( ' ', array_map( 'escapeshellarg', $command ) ) . ' 2>&1', $out, $status );
		$this->assertSame( 0, $status, implode( "\n", $out ) );
		$this->assertFileExists( $file );
	}
}
