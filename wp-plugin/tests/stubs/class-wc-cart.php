<?php
/**
 * Test stub (not WooCommerce): WC()->cart with the cart item shape plugins read
 * (product_id, quantity, line_total after discounts and without tax) and apply_coupon(),
 * which only applies codes that exist as coupons.
 *
 * @package Rewardd\Tests
 */

/**
 * Stub of WooCommerce's WC_Cart.
 */
class WC_Cart {

	/**
	 * Cart items by key.
	 *
	 * @var array<string, array<string, mixed>>
	 */
	public $cart_contents = array();

	/**
	 * Applied coupon codes (lower-case, as WooCommerce stores them).
	 *
	 * @var string[]
	 */
	public $applied_coupons = array();

	/**
	 * Test helper: puts a product line in the cart.
	 *
	 * @param int    $product_id Product id.
	 * @param int    $quantity   Quantity.
	 * @param string $line_total Line total after discounts, without tax.
	 * @return string Cart item key.
	 */
	public function add_to_cart( $product_id, $quantity = 1, $line_total = '0' ) {
		$key                         = md5( $product_id . ':' . count( $this->cart_contents ) );
		$this->cart_contents[ $key ] = array(
			'key'           => $key,
			'product_id'    => (int) $product_id,
			'variation_id'  => 0,
			'quantity'      => (int) $quantity,
			'line_total'    => (float) $line_total,
			'line_subtotal' => (float) $line_total,
			'data'          => new WC_Product( $product_id ),
		);
		return $key;
	}

	/** @return array<string, array<string, mixed>> */
	public function get_cart() {
		return $this->cart_contents;
	}

	/** @return bool */
	public function is_empty() {
		return 0 === count( $this->cart_contents );
	}

	/** Empties the cart and its coupons. */
	public function empty_cart() {
		$this->cart_contents   = array();
		$this->applied_coupons = array();
	}

	/**
	 * Applies a coupon code; like WooCommerce, refuses one that does not exist (yet).
	 *
	 * @param string $code Code.
	 * @return bool
	 */
	public function apply_coupon( $code ) {
		$code = strtolower( trim( (string) $code ) );
		if ( '' === $code || in_array( $code, $this->applied_coupons, true ) || ! wc_get_coupon_id_by_code( $code ) ) {
			return false;
		}
		$this->applied_coupons[] = $code;
		return true;
	}

	/** @return string[] */
	public function get_applied_coupons() {
		return $this->applied_coupons;
	}
}
