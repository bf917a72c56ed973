<?php
/**
 * My Account > Rewards rendered as HTML and read back: balances, worth, tier, history,
 * referral link, escaping, and the Redeem form (RedemptionTest submits it).
 *
 * @package Rewardd\Tests
 */

namespace Rewardd\Tests;

/**
 * The customer's Rewards tab.
 */
final class AccountTabTest extends TestCase {

	const EMAIL = 'kari@example.test';

	protected function setUp(): void {
		parent::setUp();
		$this->configure();
		$this->register_shop_in_fake();
		delete_user_meta( $this->customer( 'kari', self::EMAIL )->ID, 'rewardd_last_code' );
		delete_user_meta( $this->customer( 'kari', self::EMAIL )->ID, 'rewardd_pending_redemption' );
	}

	/**
	 * Seeds Kari in the fake rewardd.
	 *
	 * @param int $available Available points.
	 */
	private function seed_kari( int $available = 1250 ): void {
		$this->fake_update(
			static function ( array $s ) use ( $available ) {
				$s['customers'][ self::EMAIL ] = array(
					'available' => $available,
					'pending'   => 300,
					'tier'      => 'Silver',
					'currency'  => 'NOK',
					'next_tier' => array( 'name' => 'Gold', 'spend_needed_minor' => 150000 ),
					// The shape of rewardd's `customer show --json` history entries (docs/cli.md).
					'history'   => array(
						array( 'effective_at' => '2026-11-20T10:00:00Z', 'kind' => 'earn_pending', 'order' => '1001', 'reason' => '', 'points' => 398 ),
						array( 'effective_at' => '2026-11-21T10:00:00Z', 'kind' => 'tier_change', 'order' => '1001', 'reason' => 'none -> Silver', 'points' => 0 ),
						array( 'effective_at' => '2026-11-21T10:00:00Z', 'kind' => 'adjust', 'order' => '', 'reason' => '<script>alert("x")</script> & "bonus"', 'points' => 50 ),
						array( 'effective_at' => '2026-11-22T10:00:00Z', 'kind' => 'reserve', 'order' => '', 'reason' => 'code RWD-1', 'points' => -500 ),
					),
				);
				return $s;
			}
		);
	}

	/**
	 * The tab's HTML as Kari.
	 */
	private function render_as_kari(): string {
		wp_set_current_user( $this->customer( 'kari', self::EMAIL )->ID );
		return $this->capture(
			static function () {
				do_action( 'woocommerce_account_rewards_endpoint', '' );
			}
		);
	}

	public function test_what_happens_when_woocommerce_builds_the_account_menu(): void {
		$items = wc_get_account_menu_items();
		$this->assertSame( 'Rewards', $items['rewards'] );
		$keys = array_keys( $items );
		$this->assertSame( 'customer-logout', end( $keys ), 'Log out stays last' );
		$this->assertArrayHasKey( 'rewards', WC()->get_query_vars(), 'the endpoint is a WooCommerce query var' );
	}

	public function test_what_happens_when_a_customer_opens_the_rewards_tab(): void {
		$this->seed_kari();
		$html  = $this->render_as_kari();
		$xpath = self::dom( $html );

		$this->assertSame( '1,250', trim( $xpath->query( '//*[contains(@class,"rewardd-available")]/span[@class="rewardd-number"]' )->item( 0 )->textContent ) );
		$this->assertStringContainsString( '(worth 12.50 NOK)', self::text( $html ), '1250 points at 100 points per 1.00' );
		$this->assertStringContainsString( '300 points pending', self::text( $html ) );
		$this->assertStringContainsString( 'You are Silver. Spend 1,500.00 NOK more to reach Gold.', self::text( $html ) );

		$rows = $xpath->query( '//table[contains(@class,"rewardd-history-table")]/tbody/tr' );
		$this->assertSame( 3, $rows->length, 'the tier change moves no points and is not listed' );
		$this->assertSame( '+398', trim( $rows->item( 0 )->lastChild->textContent ) );
		$this->assertSame( 'Order #1001', $rows->item( 0 )->childNodes->item( 1 )->textContent );
		$this->assertSame( '-500', trim( $rows->item( 2 )->lastChild->textContent ) );
		$this->assertSame( 'Redeemed for a discount code', $rows->item( 2 )->childNodes->item( 1 )->textContent );
		$this->assertSame( 'Adjustment: <script>alert("x")</script> & "bonus"', $rows->item( 1 )->childNodes->item( 1 )->textContent, 'shown as text' );
		$this->assertSame( 0, $xpath->query( '//script' )->length, 'no markup from rewardd reaches the page' );
		$this->assertStringContainsString( '&lt;script&gt;', $html );

		$link = $xpath->query( '//input[contains(@class,"rewardd-referral-link")]' )->item( 0 );
		$this->assertSame( home_url( '/' ) . '?ref=REF' . strtoupper( substr( md5( self::EMAIL ), 0, 8 ) ), $link->getAttribute( 'value' ) );

		$form = $xpath->query( '//form[contains(@class,"rewardd-redeem-form")]' )->item( 0 );
		$this->assertNotNull( $form );
		$this->assertSame( '1250', $xpath->query( './/input[@name="rewardd_points"]', $form )->item( 0 )->getAttribute( 'max' ) );
		$nonce = $xpath->query( './/input[@name="_wpnonce"]', $form )->item( 0 )->getAttribute( 'value' );
		$this->assertSame( 1, wp_verify_nonce( $nonce, 'rewardd_redeem' ) );

		$paths = array_column( $this->fake()['requests'], 'path' );
		$this->assertContains( '/api/v1/customers/kari%40example.test', $paths, 'the e-mail is URL-encoded' );
	}

	public function test_what_happens_when_rewardd_does_not_know_the_customer_yet(): void {
		$html = $this->render_as_kari();
		$this->assertStringContainsString( '0 points available', self::text( $html ) );
		$this->assertStringContainsString( 'You have no points to redeem yet.', self::text( $html ) );
		$this->assertStringNotContainsString( 'rewardd-redeem-form', $html );
	}

	public function test_what_happens_when_the_rewards_tab_is_cached(): void {
		$this->seed_kari();
		$this->render_as_kari();
		$count = count( $this->fake()['requests'] );
		$this->render_as_kari();
		$this->assertSame( $count, count( $this->fake()['requests'] ), 'the second view is served from the cache' );
	}

	public function test_what_happens_when_the_redeem_form_is_shown_twice(): void {
		$this->seed_kari();
		$ids = array();
		foreach ( array( 1, 2 ) as $view ) {
			$input = self::dom( $this->render_as_kari() )->query( '//form[contains(@class,"rewardd-redeem-form")]//input[@name="rewardd_redemption_id"]' )->item( 0 );
			$this->assertNotNull( $input, "view $view carries a redemption id" );
			$this->assertMatchesRegularExpression( '/^wp-[0-9a-f-]{36}$/', $input->getAttribute( 'value' ), 'what rewardd accepts: [A-Za-z0-9_.-], up to 100' );
			$ids[] = $input->getAttribute( 'value' );
		}
		$this->assertNotSame( $ids[0], $ids[1], 'each form is one redemption' );
	}

	public function test_what_happens_when_a_redemption_could_not_be_confirmed(): void {
		$this->seed_kari( 0 ); // rewardd may have taken every point before its answer was lost.
		$kari = $this->customer( 'kari', self::EMAIL );
		update_user_meta( $kari->ID, 'rewardd_pending_redemption', array( 'redemption_id' => 'wp-lost-1', 'points' => 1250 ) );
		foreach ( array( 1, 2 ) as $view ) {
			$html  = $this->render_as_kari();
			$xpath = self::dom( $html );
			$this->assertSame( 'wp-lost-1', $xpath->query( '//form[contains(@class,"rewardd-redeem-form")]//input[@name="rewardd_redemption_id"]' )->item( 0 )->getAttribute( 'value' ), "view $view: the same redemption again" );
			$points = $xpath->query( '//form[contains(@class,"rewardd-redeem-form")]//input[@name="rewardd_points"]' )->item( 0 );
			$this->assertSame( array( '1250', true ), array( $points->getAttribute( 'value' ), $points->hasAttribute( 'readonly' ) ), 'with the same points' );
			$this->assertStringContainsString( 'Your redemption of 1,250 points could not be confirmed yet. Press Redeem to finish it and see your code; you will not be charged twice.', self::text( $html ) );
			$this->assertStringNotContainsString( 'You have no points to redeem yet.', self::text( $html ) );
		}

		update_user_meta( $kari->ID, 'rewardd_pending_redemption', array( 'redemption_id' => 'wp-1:release', 'points' => 600 ) );
		$html = $this->render_as_kari();
		$this->assertStringContainsString( 'You have no points to redeem yet.', self::text( $html ), 'an id rewardd would refuse is not carried on' );
		$this->assertStringNotContainsString( 'wp-1', $html );
	}
}
