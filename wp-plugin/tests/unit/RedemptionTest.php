<?php
/**
 * The Redeem form submitted end to end against the fake rewardd (docs/API.md POST
 * /api/v1/redeem): the body rewardd gets, the code shown, idempotency by the form's
 * redemption id, rewardd's refusals, and the code put into an open cart — at once when the
 * coupon already exists in WooCommerce, else on the next cart load once the outbox has created
 * it (classic and block carts both load the cart from the session). WooCommerce's coupon
 * lookup and cart are the stub's (tests/stubs, written from INTEGRATION.md W3.3).
 *
 * @package Rewardd\Tests
 */

namespace Rewardd\Tests;

/**
 * Redeeming points.
 */
final class RedemptionTest extends TestCase {

	const EMAIL = 'kari@example.test';

	protected function setUp(): void {
		parent::setUp();
		$this->configure();
		$this->register_shop_in_fake();
		$kari = $this->user( 'kari', 'customer', self::EMAIL );
		delete_user_meta( $kari->ID, 'rewardd_last_code' );
		delete_user_meta( $kari->ID, 'rewardd_apply_code' );
		$this->fake_update(
			static function ( array $s ) {
				$s['customers'][ self::EMAIL ] = array(
					'available' => 1250,
					'pending'   => 0,
					'currency'  => 'NOK',
					'history'   => array(),
				);
				return $s;
			}
		);
	}

	public function test_what_happens_when_a_customer_redeems_points(): void {
		$location = $this->post_redeem( 600, 'wp-form-1' );
		$this->assertSame( wc_get_account_endpoint_url( 'rewards' ), $location, 'back to the tab (post/redirect/get)' );

		$fake = $this->fake();
		$this->assertCount( 1, $fake['redemptions'] );
		$sent = json_decode( $this->last_request( '/api/v1/redeem' )['body'], true );
		$this->assertSame(
			array(
				'shop'           => self::SHOP_ID,
				'customer_email' => self::EMAIL,
				'points'         => 600,
				'redemption_id'  => 'wp-form-1',
				'currency'       => 'NOK',
			),
			$sent,
			'docs/API.md redeem body; no cart_total without a cart'
		);
		$code = $fake['redemptions'][0]['code'];
		$this->assertSame( 650, $fake['customers'][ self::EMAIL ]['available'] );

		$html = $this->render_tab();
		$this->assertStringContainsString( "Your code is $code. Enter it at checkout.", self::text( $html ) );
		$this->assertStringContainsString( "Your latest code: $code 6.00 NOK", self::text( $html ) );
		$this->assertStringContainsString( '650', self::text( $html ), 'the balance is read again after redeeming' );
		$this->assertSame( array(), WC()->cart->get_applied_coupons(), 'no open cart, nothing applied' );
	}

	public function test_what_happens_when_the_form_is_submitted_twice(): void {
		$this->post_redeem( 600, 'wp-form-2' );
		$this->post_redeem( 600, 'wp-form-2' );
		$fake = $this->fake();
		$this->assertCount( 1, $fake['redemptions'], 'one redemption' );
		$this->assertSame( 650, $fake['customers'][ self::EMAIL ]['available'], 'points taken once' );
		$this->assertCount( 2, array_filter( $fake['requests'], static function ( $r ) { return '/api/v1/redeem' === $r['path']; } ) );
		$this->assertStringContainsString( 'Your code is ' . $fake['redemptions'][0]['code'], self::text( $this->render_tab() ), 'the second submit shows the same code' );
	}

	public function test_what_happens_when_a_customer_redeems_with_an_open_cart_and_the_coupon_exists(): void {
		WC()->cart->add_to_cart( 1, 1, '250.00' );
		$code = $this->expected_code( 'wp-form-3' );
		wc_stub_create_coupon( $code ); // The outbox was quicker than the answer.
		$this->post_redeem( 500, 'wp-form-3' );
		$this->assertSame( 25000, json_decode( $this->last_request( '/api/v1/redeem' )['body'], true )['cart_total'], 'the cart total goes along for the cart-share rule' );
		$this->assertSame( array( strtolower( $code ) ), WC()->cart->get_applied_coupons() );
		$this->assertStringContainsString( "Your code $code has been applied to your cart.", self::text( $this->render_tab() ) );
	}

	public function test_what_happens_when_the_coupon_is_still_queued(): void {
		WC()->cart->add_to_cart( 1, 1, '250.00' );
		$this->post_redeem( 500, 'wp-form-4' );
		$code = $this->fake()['redemptions'][0]['code'];
		$this->assertSame( array(), WC()->cart->get_applied_coupons(), 'a queued code does not exist in WooCommerce yet' );
		$this->assertStringContainsString( "Your code is $code. It will be applied to your cart in a moment.", self::text( $this->render_tab() ) );

		do_action( 'woocommerce_cart_loaded_from_session', WC()->cart );
		$this->assertSame( array(), WC()->cart->get_applied_coupons(), 'still not in WooCommerce: still waiting' );

		wc_stub_create_coupon( $code ); // The outbox has delivered it.
		$requests = count( $this->fake()['requests'] );
		do_action( 'woocommerce_cart_loaded_from_session', WC()->cart );
		$this->assertSame( array( strtolower( $code ) ), WC()->cart->get_applied_coupons(), 'applied on the next cart load' );
		$this->assertSame( $requests, count( $this->fake()['requests'] ), 'without asking rewardd' );
		$this->assertSame( '', get_user_meta( get_current_user_id(), 'rewardd_apply_code', true ), 'and forgotten' );
	}

	public function test_what_happens_when_rewardd_refuses(): void {
		$this->post_redeem( 100, 'wp-form-5' );
		$this->assertStringContainsString( 'That is below the minimum number of points you can redeem.', self::text( $this->render_tab() ) );
		$this->post_redeem( 5000, 'wp-form-6' );
		$this->assertStringContainsString( 'You do not have that many points available.', self::text( $this->render_tab() ) );
		WC()->cart->add_to_cart( 1, 1, '9.00' );
		$this->post_redeem( 1000, 'wp-form-7' );
		$this->assertStringContainsString( 'That is more than can be paid with points for the cart you have open.', self::text( $this->render_tab() ) );
		$this->assertSame( array(), $this->fake()['redemptions'] );
	}

	public function test_what_happens_when_rewardd_is_down(): void {
		$this->configure( self::closed_port_url() );
		$this->post_redeem( 600, 'wp-form-8' );
		$html = $this->render_tab();
		$this->assertStringContainsString( 'Rewards are unavailable right now, nothing was redeemed.', self::text( $html ) );
	}

	/**
	 * The fake's code for a redemption id (routes.php).
	 *
	 * @param string $id Redemption id.
	 */
	private function expected_code( string $id ): string {
		return 'RWD-' . strtoupper( substr( md5( self::SHOP_ID . ':' . $id ), 0, 8 ) );
	}

	/**
	 * The fake's last request to a path.
	 *
	 * @param string $path Path.
	 * @return array<string, mixed>
	 */
	private function last_request( string $path ): array {
		$matching = array_values( array_filter( $this->fake()['requests'], static function ( $r ) use ( $path ) { return $path === $r['path']; } ) );
		$this->assertNotEmpty( $matching, "a request to $path" );
		return end( $matching );
	}

	/**
	 * The Rewards tab as Kari.
	 */
	private function render_tab(): string {
		wp_set_current_user( $this->user( 'kari', 'customer', self::EMAIL )->ID );
		return $this->capture(
			static function () {
				do_action( 'woocommerce_account_rewards_endpoint', '' );
			}
		);
	}

	/**
	 * Submits the Redeem form as Kari and returns the redirect.
	 *
	 * @param int    $points Points.
	 * @param string $id     The form's redemption id.
	 */
	private function post_redeem( int $points, string $id ): string {
		wp_set_current_user( $this->user( 'kari', 'customer', self::EMAIL )->ID );
		$_POST   = array(
			'rewardd_action'        => 'redeem',
			'rewardd_points'        => (string) $points,
			'rewardd_redemption_id' => $id,
			'_wpnonce'              => wp_create_nonce( 'rewardd_redeem' ),
		);
		$handler = $this->service( 'redemption' );
		$this->assertSame( 20, has_action( 'wp_loaded', array( $handler, 'handle_form' ) ), 'the form is handled on wp_loaded' );
		try {
			$handler->handle_form();
		} catch ( Redirect $redirect ) {
			return $redirect->getMessage();
		} finally {
			$_POST = array();
		}
		$this->fail( 'no redirect after redeem' );
	}
}
