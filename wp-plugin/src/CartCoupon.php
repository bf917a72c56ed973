<?php
/**
 * Puts a redeemed code into the customer's open cart. rewardd answers a redemption at once
 * and creates the coupon in WooCommerce a moment later (its outbox), so a code that does not
 * exist in WooCommerce yet is remembered (user meta) and applied the next time the cart is
 * loaded, classic or block-based (the Store API loads it too) — a local lookup, no call to
 * rewardd. A code with a minimum order (rewardd's cart share) is not even tried while the cart
 * is below it: WooCommerce would refuse it with its "minimum spend" error on every cart load.
 * The customer is told once, in our words, and the code goes in when the cart gets there.
 * Depends on WooCommerce's cart, coupon lookup and notices, and on Money.
 *
 * @package Rewardd
 */

namespace Rewardd;

defined( 'ABSPATH' ) || exit;

/**
 * Applies redeemed codes to the cart.
 */
final class CartCoupon {

	const PENDING = 'rewardd_apply_code';

	/**
	 * A remembered code is dropped after this long (the customer can still type it in).
	 */
	const PENDING_SECONDS = DAY_IN_SECONDS;

	/**
	 * Hooks the retry on cart load.
	 */
	public function register(): void {
		add_action( 'woocommerce_cart_loaded_from_session', array( $this, 'apply_pending' ) );
	}

	/**
	 * Applies the code now when WooCommerce has it and the cart reaches its minimum, else
	 * remembers it for the next cart load.
	 *
	 * @param int    $user_id       Customer.
	 * @param string $code          Coupon code.
	 * @param int    $minimum_minor Smallest subtotal the code applies to (rewardd's
	 *                              minimum_subtotal_minor), 0 for any.
	 * @param string $currency      Currency of the minimum.
	 * @return string 'applied', 'pending' (remembered), 'below_minimum' (remembered; the
	 *                caller tells the customer) or 'no_cart'.
	 */
	public function apply_or_remember( int $user_id, string $code, int $minimum_minor = 0, string $currency = '' ): string {
		$cart = self::open_cart();
		if ( null === $cart || '' === $code ) {
			return 'no_cart';
		}
		$pending = array(
			'code'     => $code,
			'until'    => time() + self::PENDING_SECONDS,
			'minimum'  => max( 0, $minimum_minor ),
			'currency' => strtoupper( $currency ),
			'told'     => false,
		);
		if ( null !== self::shortfall_minor( $cart, $pending ) ) {
			$pending['told'] = true; // The redemption's own message says it.
			update_user_meta( $user_id, self::PENDING, $pending );
			return 'below_minimum';
		}
		if ( self::apply( $cart, $code ) ) {
			return 'applied';
		}
		update_user_meta( $user_id, self::PENDING, $pending );
		return 'pending';
	}

	/**
	 * On cart load: applies the remembered code once the coupon exists in WooCommerce and the
	 * cart reaches the code's minimum; below it, says once what the code needs.
	 */
	public function apply_pending(): void {
		$user_id = get_current_user_id();
		$pending = $user_id ? get_user_meta( $user_id, self::PENDING, true ) : '';
		if ( ! is_array( $pending ) || empty( $pending['code'] ) ) {
			return;
		}
		if ( (int) ( $pending['until'] ?? 0 ) < time() ) {
			delete_user_meta( $user_id, self::PENDING );
			return;
		}
		$cart = self::open_cart();
		if ( null === $cart ) {
			return;
		}
		$shortfall = self::shortfall_minor( $cart, $pending );
		if ( null !== $shortfall ) {
			$this->tell_minimum_once( $user_id, $pending, $shortfall );
			return;
		}
		if ( self::apply( $cart, (string) $pending['code'] ) ) {
			delete_user_meta( $user_id, self::PENDING );
		}
	}

	/**
	 * How much the cart lacks to reach the code's minimum, in minor units; null when it
	 * reaches it or the code has none. Measured on get_displayed_subtotal(), the figure
	 * WooCommerce checks a coupon's minimum spend against (WC_Discounts). A cart in another
	 * currency than the code's (a currency switcher) is left to WooCommerce's own check.
	 *
	 * @param \WC_Cart             $cart    Cart.
	 * @param array<string, mixed> $pending Remembered code (see apply_or_remember()).
	 */
	private static function shortfall_minor( $cart, array $pending ): ?int {
		$minimum  = (int) ( $pending['minimum'] ?? 0 );
		$currency = (string) ( $pending['currency'] ?? '' );
		$shop     = function_exists( 'get_woocommerce_currency' ) ? strtoupper( get_woocommerce_currency() ) : '';
		if ( $minimum <= 0 || '' === $currency || $shop !== $currency ) {
			return null;
		}
		$shortfall = $minimum - Money::to_minor( (float) $cart->get_displayed_subtotal(), $currency );
		return $shortfall > 0 ? $shortfall : null;
	}

	/**
	 * Tells the customer, once per code, what it applies to and how much more the cart needs,
	 * as a notice rather than an error: nothing is wrong, the code just waits. Not during a
	 * Store API request: it clears notices other than errors without showing them, so the
	 * next page the customer opens tells instead.
	 *
	 * @param int                  $user_id   Customer.
	 * @param array<string, mixed> $pending   Remembered code.
	 * @param int                  $shortfall What the cart lacks, in minor units.
	 */
	private function tell_minimum_once( int $user_id, array $pending, int $shortfall ): void {
		$rest = WC() && method_exists( WC(), 'is_rest_api_request' ) && WC()->is_rest_api_request();
		if ( ! empty( $pending['told'] ) || $rest || ! function_exists( 'wc_add_notice' ) ) {
			return;
		}
		$currency = (string) $pending['currency'];
		wc_add_notice(
			sprintf(
				/* translators: 1: coupon code, 2: minimum order, e.g. 60.00 EUR, 3: amount still missing */
				esc_html__( 'Your reward code %1$s applies to orders from %2$s. Add %3$s more and it goes into your cart.', 'rewardd' ),
				esc_html( (string) $pending['code'] ),
				Money::format_html( (int) $pending['minimum'], $currency ),
				Money::format_html( $shortfall, $currency )
			),
			'notice'
		);
		$pending['told'] = true;
		update_user_meta( $user_id, self::PENDING, $pending );
	}

	/**
	 * Applies a code WooCommerce knows; true when it is (now) in the cart.
	 *
	 * @param \WC_Cart $cart Cart.
	 * @param string   $code Code.
	 */
	private static function apply( $cart, string $code ): bool {
		if ( in_array( strtolower( $code ), $cart->get_applied_coupons(), true ) ) {
			return true;
		}
		if ( ! function_exists( 'wc_get_coupon_id_by_code' ) || ! wc_get_coupon_id_by_code( $code ) ) {
			return false; // Not created yet: applying now would only show "coupon does not exist".
		}
		return (bool) $cart->apply_coupon( $code );
	}

	/**
	 * The cart when it has something in it, else null.
	 *
	 * @return \WC_Cart|null
	 */
	private static function open_cart() {
		$cart = function_exists( 'WC' ) && WC() ? WC()->cart : null;
		return $cart && ! $cart->is_empty() ? $cart : null;
	}
}
