<?php
/**
 * Test stub (not WooCommerce): WC()->cart with the cart item shape plugins read
 * (product_id, quantity, line_total after discounts and without tax) and apply_coupon(),
 * which only applies codes that exist as coupons and, like WooCommerce's WC_Discounts, refuses
 * one whose minimum_amount is above get_displayed_subtotal() with an error notice.
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
		$id   = '' === $code ? 0 : wc_get_coupon_id_by_code( $code );
		if ( ! $id || in_array( $code, $this->applied_coupons, true ) ) {
			return false;
		}
		$minimum = (float) get_post_meta( $id, 'minimum_amount', true );
		if ( $minimum > 0 && $minimum > $this->get_displayed_subtotal() ) {
			wc_add_notice( sprintf( 'The minimum spend for this coupon is %s.', wc_price( $minimum ) ), 'error' );
			return false;
		}
		$this->applied_coupons[] = $code;
		return true;
	}

	/**
	 * The subtotal WooCommerce shows and checks a coupon's minimum spend against: lines before
	 * discounts (the stub has no taxes).
	 *
	 * @return float
	 */
	public function get_displayed_subtotal() {
		return (float) array_sum( array_column( $this->cart_contents, 'line_subtotal' ) );
	}

	/** @return string[] */
	public function get_applied_coupons() {
		return $this->applied_coupons;
	}
}
