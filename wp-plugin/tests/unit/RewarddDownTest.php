<?php
/**
 * rewardd down or slow: every storefront page still renders, promptly, and says rewards
 * are unavailable; after one failure the next pages do not wait at all.
 *
 * @package Rewardd\Tests
 */

namespace Rewardd\Tests;

/**
 * Graceful degradation.
 */
final class RewarddDownTest extends TestCase {

	/**
	 * Renders the Rewards tab and the cart line as Kari; returns [tab, cart line, seconds].
	 *
	 * @return array{0: string, 1: string, 2: float}
	 */
	private function render_pages(): array {
		wp_set_current_user( $this->customer( 'kari', 'kari@example.test' )->ID );
		WC()->cart->empty_cart();
		WC()->cart->add_to_cart( 1, 1, '100.00' );
		$start = microtime( true );
		$tab   = $this->capture(
			static function () {
				do_action( 'woocommerce_account_rewards_endpoint', '' );
			}
		);
		$cart  = $this->capture(
			static function () {
				do_action( 'woocommerce_proceed_to_checkout' );
			}
		);
		return array( $tab, $cart, microtime( true ) - $start );
	}

	public function test_what_happens_when_rewardd_is_down(): void {
		$this->configure( self::closed_port_url() );
		list( $tab, $cart, $seconds ) = $this->render_pages();
		$this->assertStringContainsString( 'Rewards are unavailable right now.', self::text( $tab ) );
		$this->assertStringNotContainsString( 'rewardd-redeem-form', $tab, 'no Redeem form without a balance' );
		$this->assertSame( 'Rewards are unavailable right now.', self::text( $cart ) );
		$this->assertLessThan( 2.5, $seconds );
	}

	public function test_what_happens_when_rewardd_is_too_slow(): void {
		$this->configure();
		$this->register_shop_in_fake();
		$this->fake_update(
			static function ( array $s ) {
				$s['delay_ms'] = 4000;
				return $s;
			}
		);
		list( $tab, $cart, $seconds ) = $this->render_pages();
		$this->assertStringContainsString( 'Rewards are unavailable right now.', self::text( $tab ) );
		$this->assertSame( 'Rewards are unavailable right now.', self::text( $cart ) );
		$this->assertLessThan( 3.0, $seconds, 'one 2-second timeout, then the page goes on without rewardd' );

		list( , , $seconds ) = $this->render_pages();
		$this->assertLessThan( 0.5, $seconds, 'later pages do not wait for rewardd at all' );
		$this->fake_update(
			static function ( array $s ) {
				$s['delay_ms'] = 0;
				return $s;
			}
		);
	}

	public function test_what_happens_when_the_my_account_page_is_requested_while_rewardd_is_down(): void {
		$this->configure( self::closed_port_url() );
		$user     = $this->customer( 'kari', 'kari@example.test' );
		$response = $this->get_as( $user, wc_get_account_endpoint_url( 'rewards' ) );
		$this->assertSame( 200, wp_remote_retrieve_response_code( $response ) );
		$body = wp_remote_retrieve_body( $response );
		$this->assertStringContainsString( 'Rewards are unavailable right now.', $body );
		$this->assertStringContainsString( 'class="is-active"><a href="' . esc_url( wc_get_account_endpoint_url( 'rewards' ) ) . '">Rewards</a>', $body, 'the Rewards tab is the open one' );
		$this->assertStringContainsString( 'rewardd/assets/rewardd.css', $body, 'the stylesheet is loaded on the account page' );
		$home = wp_remote_get( home_url( '/' ) );
		$this->assertStringNotContainsString( 'rewardd.css', wp_remote_retrieve_body( $home ), 'and nowhere else' );
	}

	/**
	 * GET a page of the test WordPress over HTTP as a logged-in user.
	 *
	 * @param \WP_User $user User.
	 * @param string   $url  URL.
	 * @return array<string, mixed>|\WP_Error
	 */
	private function get_as( \WP_User $user, string $url ) {
		$expires = time() + HOUR_IN_SECONDS;
		$cookie  = wp_generate_auth_cookie( $user->ID, $expires, 'logged_in' );
		return wp_remote_get(
			$url,
			array(
				'timeout' => 20,
				'cookies' => array( LOGGED_IN_COOKIE => $cookie ),
			)
		);
	}
}
