<?php
/**
 * Referral links: ?ref=CODE becomes a cookie (over real HTTP), and the cookie becomes the
 * order meta rewardd_referral_code at classic and block checkout, through the order
 * object (HPOS tables in the stub, never post meta).
 *
 * @package Rewardd\Tests
 */

namespace Rewardd\Tests;

/**
 * Referral capture.
 */
final class ReferralTest extends TestCase {

	public function test_what_happens_when_a_visitor_follows_a_referral_link(): void {
		$response = wp_remote_get( add_query_arg( 'ref', 'FRIEND-42', home_url( '/' ) ), array( 'timeout' => 20 ) );
		$this->assertSame( 200, wp_remote_retrieve_response_code( $response ) );
		$cookies = array();
		foreach ( wp_remote_retrieve_cookies( $response ) as $cookie ) {
			$cookies[ $cookie->name ] = $cookie;
		}
		$this->assertArrayHasKey( 'rewardd_ref', $cookies );
		$this->assertSame( 'FRIEND-42', $cookies['rewardd_ref']->value );
		$this->assertGreaterThan( time() + 29 * DAY_IN_SECONDS, $cookies['rewardd_ref']->expires, 'kept for 30 days' );
		$header = implode( "\n", (array) wp_remote_retrieve_header( $response, 'set-cookie' ) );
		$this->assertMatchesRegularExpression( '/rewardd_ref=FRIEND-42;[^\n]*HttpOnly/i', $header, 'not readable by scripts' );
	}

	public function test_what_happens_when_a_referral_link_carries_markup(): void {
		$response = wp_remote_get( home_url( '/' ) . '?ref=' . rawurlencode( 'FRIEND-42"><img src=x onerror=alert(1)>' ), array( 'timeout' => 20 ) );
		$values   = array();
		foreach ( wp_remote_retrieve_cookies( $response ) as $cookie ) {
			$values[ $cookie->name ] = $cookie->value;
		}
		$this->assertSame( 'FRIEND-42', $values['rewardd_ref'] ?? null, 'only letters, digits, - and _ are kept' );
		$response = wp_remote_get( home_url( '/' ) . '?ref=' . rawurlencode( '<script>x</script>' ), array( 'timeout' => 20 ) );
		$this->assertSame( array(), wp_remote_retrieve_cookies( $response ), 'nothing usable, no cookie' );
	}

	public function test_what_happens_when_a_referred_customer_checks_out_classically(): void {
		$_COOKIE['rewardd_ref'] = 'FRIEND-42';
		$order                  = new \WC_Order();
		$order->set_billing_email( 'new@example.test' );
		do_action( 'woocommerce_checkout_create_order', $order, array() );
		$order->save();
		$this->assert_order_meta( $order->get_id(), 'FRIEND-42' );
	}

	public function test_what_happens_when_a_referred_customer_checks_out_with_blocks(): void {
		$_COOKIE['rewardd_ref'] = 'FRIEND-42';
		$order                  = new \WC_Order();
		$order->save();
		do_action( 'woocommerce_store_api_checkout_update_order_meta', $order );
		$order->save();
		$this->assert_order_meta( $order->get_id(), 'FRIEND-42' );
	}

	public function test_what_happens_when_there_is_no_referral(): void {
		$order = new \WC_Order();
		do_action( 'woocommerce_checkout_create_order', $order, array() );
		$order->save();
		$this->assertSame( '', wc_get_order( $order->get_id() )->get_meta( 'rewardd_referral_code' ) );
	}

	public function test_what_happens_when_the_order_already_has_a_code(): void {
		$_COOKIE['rewardd_ref'] = 'SECOND';
		$order                  = new \WC_Order();
		$order->update_meta_data( 'rewardd_referral_code', 'FIRST' );
		do_action( 'woocommerce_store_api_checkout_update_order_meta', $order );
		$order->save();
		$this->assert_order_meta( $order->get_id(), 'FIRST' );
	}

	public function test_what_happens_when_a_referred_visitor_creates_an_account(): void {
		$_COOKIE['rewardd_ref'] = 'FRIEND-42';
		$user                   = $this->user( 'newbie' . wp_rand(), 'customer' );
		do_action( 'woocommerce_created_customer', $user->ID, array(), false );
		$this->assertSame( 'FRIEND-42', get_user_meta( $user->ID, 'rewardd_referral_code', true ), 'it travels in the customer.created webhook' );
	}

	/**
	 * The order, read back fresh, carries the code; post meta does not.
	 *
	 * @param int    $order_id Order id.
	 * @param string $code     Expected code.
	 */
	private function assert_order_meta( int $order_id, string $code ): void {
		global $wpdb;
		$this->assertSame( $code, wc_get_order( $order_id )->get_meta( 'rewardd_referral_code' ) );
		$this->assertSame( '0', $wpdb->get_var( "SELECT COUNT(*) FROM {$wpdb->postmeta} WHERE meta_key = 'rewardd_referral_code'" ), 'HPOS: nothing in post meta' );
	}
}
