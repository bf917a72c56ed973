<?php
/**
 * A redeemed code carries a minimum order when the shop caps the share of a cart payable with
 * points (docs/API.md minimum_subtotal_minor; the WooCommerce coupon's minimum_amount). These
 * tests shrink the cart below it after redeeming and show that the plugin does not try the code
 * (WooCommerce would refuse it with its "minimum spend" error on every cart load), says once
 * what the code needs, and applies it when the cart gets there. The fake rewardd asks for an
 * order of twice the code's value; the stub cart refuses a code below its minimum as
 * WooCommerce does.
 *
 * @package Rewardd\Tests
 */

namespace Rewardd\Tests;

/**
 * A remembered code and its minimum order.
 */
final class CartCouponMinimumTest extends TestCase {

	const EMAIL = 'kari@example.test';

	protected function setUp(): void {
		parent::setUp();
		$this->configure();
		$this->register_shop_in_fake();
		$kari = $this->customer( 'kari', self::EMAIL );
		foreach ( array( 'rewardd_last_code', 'rewardd_apply_code', 'rewardd_pending_redemption' ) as $meta ) {
			delete_user_meta( $kari->ID, $meta );
		}
		wp_set_current_user( $kari->ID );
		wc_clear_notices();
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

	protected function tearDown(): void {
		wc_clear_notices();
		parent::tearDown();
	}

	public function test_what_happens_when_the_cart_drops_below_the_codes_minimum(): void {
		WC()->cart->add_to_cart( 1, 1, '20.00' );
		$this->post_redeem( 600, 'wp-minimum-1' );  // 6.00 NOK, on orders from 12.00 NOK.
		$code = $this->fake()['redemptions'][0]['code'];
		$this->assertSame( 1200, $this->fake()['redemptions'][0]['answer']['minimum_subtotal_minor'] );

		WC()->cart->empty_cart();
		WC()->cart->add_to_cart( 1, 1, '5.00' );
		wc_stub_create_coupon( $code, '12.00' );  // The outbox has delivered it, with its minimum.

		$page                   = $_SERVER['REQUEST_URI'] ?? '/';
		$_SERVER['REQUEST_URI'] = '/' . rest_get_url_prefix() . '/wc/store/v1/cart';
		try {
			$this->load_cart();
		} finally {
			$_SERVER['REQUEST_URI'] = $page;
		}
		$this->assertSame( array(), wc_get_notices(), 'not told during a Store API request, which drops notices unseen' );

		for ( $load = 0; $load < 3; $load++ ) {
			$this->load_cart();
		}
		$this->assertSame( array(), wc_get_notices( 'error' ), 'no "minimum spend" error: the code is not tried below its minimum' );
		$this->assertSame( array(), WC()->cart->get_applied_coupons() );
		$told = array_map( array( self::class, 'text' ), array_column( wc_get_notices( 'notice' ), 'notice' ) );
		$this->assertSame( array( "Your reward code $code applies to orders from 12.00 NOK. Add 7.00 NOK more and it goes into your cart." ), $told, 'told once, over three cart loads' );
		$this->assertIsArray( get_user_meta( get_current_user_id(), 'rewardd_apply_code', true ), 'the code still waits' );

		wc_clear_notices();
		WC()->cart->add_to_cart( 2, 1, '7.00' );
		$this->load_cart();
		$this->assertSame( array( strtolower( $code ) ), WC()->cart->get_applied_coupons(), 'applied once the cart reaches the minimum' );
		$this->assertSame( array(), wc_get_notices() );
		$this->assertSame( '', get_user_meta( get_current_user_id(), 'rewardd_apply_code', true ), 'and forgotten' );
	}

	public function test_what_happens_when_the_code_comes_back_for_a_cart_below_its_minimum(): void {
		WC()->cart->add_to_cart( 1, 1, '20.00' );
		$this->post_redeem( 600, 'wp-minimum-2' );
		$code = $this->fake()['redemptions'][0]['code'];
		wc_stub_create_coupon( $code, '12.00' );
		WC()->cart->empty_cart();
		WC()->cart->add_to_cart( 1, 1, '5.00' );

		$this->post_redeem( 600, 'wp-minimum-2' );  // The same form again: rewardd answers the same code.
		$this->assertSame( "Your code is $code. It applies to orders from 12.00 NOK and goes into your cart once yours reaches that.", self::text( $this->flash()['message'] ) );
		$this->load_cart();
		$this->assertSame( array(), wc_get_notices(), 'the redemption said it already: no error, no second notice' );
		$this->assertSame( array(), WC()->cart->get_applied_coupons() );
	}

	/**
	 * What WooCommerce does on every page and Store API request with a cart.
	 */
	private function load_cart(): void {
		do_action( 'woocommerce_cart_loaded_from_session', WC()->cart );
	}

	/**
	 * The message the last form left for the Rewards tab.
	 *
	 * @return array{type: string, message: string}
	 */
	private function flash(): array {
		$flash = get_transient( 'rewardd_flash_' . get_current_user_id() );
		$this->assertIsArray( $flash );
		return $flash;
	}

	/**
	 * Submits the Redeem form as the current customer.
	 *
	 * @param int    $points Points.
	 * @param string $id     The form's redemption id.
	 */
	private function post_redeem( int $points, string $id ): void {
		$_POST = array(
			'rewardd_action'        => 'redeem',
			'rewardd_points'        => (string) $points,
			'rewardd_redemption_id' => $id,
			'_wpnonce'              => wp_create_nonce( 'rewardd_redeem' ),
		);
		try {
			$this->service( 'redemption' )->handle_form();
			$this->fail( 'no redirect after redeem' );
		} catch ( Redirect $redirect ) {
			$this->assertSame( 'success', $this->flash()['type'], $this->flash()['message'] );
		} finally {
			$_POST = array();
		}
	}
}
