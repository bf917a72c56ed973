<?php
/**
 * Test stub (not WooCommerce): a simple product read from a "product" post and its
 * _price meta (products are still posts in WooCommerce, unlike HPOS orders).
 *
 * @package Rewardd\Tests
 */

/**
 * Stub of WooCommerce's WC_Product.
 */
class WC_Product {

	/**
	 * Post id.
	 *
	 * @var int
	 */
	protected $id;

	/**
	 * Loads a product.
	 *
	 * @param int $id Post id.
	 */
	public function __construct( $id ) {
		$this->id = (int) $id;
	}

	/** @return int */
	public function get_id() {
		return $this->id;
	}

	/** @return string */
	public function get_name() {
		return get_the_title( $this->id );
	}

	/** @return string Decimal price as stored, e.g. "199.00". */
	public function get_price() {
		return (string) get_post_meta( $this->id, '_price', true );
	}
}
