<?php
/**
 * Puts a redeemed code into the customer's open cart. rewardd answers a redemption at once
 * and creates the coupon in WooCommerce a moment later (its outbox), so a code that does not
 * exist in WooCommerce yet is remembered (user meta) and applied the next time the cart is
 * loaded, classic or block-based (the Store API loads it too) — a local lookup, no call to
 * rewardd. Depends on WooCommerce's cart and coupon lookup.
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
	 * Applies the code now when WooCommerce has it, else remembers it for the next cart load.
	 *
	 * @param int    $user_id Customer.
	 * @param string $code    Coupon code.
	 * @return string 'applied', 'pending' (remembered) or 'no_cart'.
	 */
	public function apply_or_remember( int $user_id, string $code ): string {
		$cart = self::open_cart();
		if ( null === $cart || '' === $code ) {
			return 'no_cart';
		}
		if ( self::apply( $cart, $code ) ) {
			return 'applied';
		}
		update_user_meta(
			$user_id,
			self::PENDING,
			array(
				'code'  => $code,
				'until' => time() + self::PENDING_SECONDS,
			)
		);
		return 'pending';
	}

	/**
	 * On cart load: applies the remembered code once the coupon exists in WooCommerce.
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
		if ( null !== $cart && self::apply( $cart, (string) $pending['code'] ) ) {
			delete_user_meta( $user_id, self::PENDING );
		}
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
