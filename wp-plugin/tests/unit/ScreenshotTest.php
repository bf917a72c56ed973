<?php
/**
 * Screenshots of the settings page and the Rewards tab, taken with headless Chromium from
 * the test WordPress served by `php -S`, against the fake rewardd. Not part of the normal
 * run: `scripts/test-php --group screenshots` (needs the chromium package). Writes to
 * REWARDD_SCREENSHOTS_DIR, by default docs/img/ of the repository.
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

	const EMAIL = 'kari@example.test';

	public function test_what_happens_when_the_pages_are_photographed(): void {
		$chromium = trim( (string) shell_exec( 'command -v chromium chromium-browser 2>/dev/null | head -1' ) );
		if ( '' === $chromium ) {
			$this->markTestSkipped( 'chromium is not installed (apt-get install chromium).' );
		}
		$dir = (string) ( getenv( 'REWARDD_SCREENSHOTS_DIR' ) ?: dirname( __DIR__, 3 ) . '/docs/img' );
		if ( ! is_dir( $dir ) ) {
			mkdir( $dir, 0755, true );
		}
		$mu = WP_CONTENT_DIR . '/mu-plugins';
		if ( ! is_dir( $mu ) ) {
			mkdir( $mu, 0755, true );
		}
		copy( dirname( __DIR__ ) . '/bin/screenshot-login.php', $mu . '/rewardd-screenshot-login.php' );

		$this->configure();
		$this->as_admin();
		$this->admin_post( 'rewardd_connect' );
		get_transient( 'rewardd_admin_notices_1' );
		$this->seed();
		$kari = $this->user( 'kari', 'customer', self::EMAIL );
		wp_update_user( array( 'ID' => $kari->ID, 'display_name' => 'Kari Nordmann' ) );
		delete_user_meta( $kari->ID, 'rewardd_last_code' );
		wp_set_current_user( $kari->ID );
		$this->assertSame( 'success', $this->service( 'account_tab' )->redeem( wp_get_current_user(), 500 )['type'] );
		set_transient( 'rewardd_flash_' . $kari->ID, array( 'type' => 'success', 'message' => 'Your code is ' . get_user_meta( $kari->ID, 'rewardd_last_code', true )['code'] . '. Enter it at checkout.' ), 600 );

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
	 * Kari's rewards and the daemon status in the fake rewardd.
	 */
	private function seed(): void {
		$this->fake_update(
			static function ( array $s ) {
				$s['outbox_backlog']                   = 0;
				$s['last_webhook_at'][ self::SHOP_ID ] = gmdate( 'Y-m-d\TH:i:s\Z', time() - 420 );
				$s['customers'][ self::EMAIL ]         = array(
					'available' => 1740,
					'pending'   => 398,
					'tier'      => 'Silver',
					'currency'  => 'NOK',
					'next_tier' => array( 'name' => 'Gold', 'spend_needed_minor' => 124000 ),
					'history'   => array(
						array( 'at' => '2026-11-21T18:02:00Z', 'description' => 'Order #1043 (pending until 5 Dec)', 'points' => 398 ),
						array( 'at' => '2026-11-12T09:40:00Z', 'description' => 'Referral: Ola signed up and ordered', 'points' => 500 ),
						array( 'at' => '2026-10-30T14:15:00Z', 'description' => 'Redeemed for coupon RWD-7Q2K', 'points' => -500 ),
						array( 'at' => '2026-10-02T11:20:00Z', 'description' => 'Order #1011', 'points' => 1240 ),
					),
				);
				return $s;
			}
		);
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
