<?php
/**
 * Builds POST /api/v1/quote bodies (docs/API.md) from a WooCommerce cart or one product.
 * Amounts go out as integer minor units; categories as product_cat slugs.
 * Depends on WooCommerce objects passed in, and Money.
 *
 * @package Rewardd
 */

namespace Rewardd;

defined( 'ABSPATH' ) || exit;

/**
 * Quote request bodies.
 */
final class QuoteBuilder {

	/**
	 * A quote body for a cart; line totals are after discounts and without tax.
	 *
	 * @param \WC_Cart $cart     The cart.
	 * @param string   $currency ISO 4217 code.
	 * @param string   $email    Customer e-mail or ''.
	 * @return array<string, mixed>
	 */
	public static function from_cart( $cart, string $currency, string $email ): array {
		$lines = array();
		foreach ( $cart->get_cart() as $item ) {
			$product_id = (int) ( $item['product_id'] ?? 0 );
			$lines[]    = array(
				'product_id' => (string) $product_id,
				'categories' => self::categories( $product_id ),
				'quantity'   => (int) ( $item['quantity'] ?? 0 ),
				'total'      => Money::to_minor( $item['line_total'] ?? 0, $currency ),
			);
		}
		return self::body( $lines, $currency, $email );
	}

	/**
	 * A quote body for one unit of a product at its current price without tax.
	 *
	 * @param \WC_Product $product  The product.
	 * @param string      $currency ISO 4217 code.
	 * @param string      $email    Customer e-mail or ''.
	 * @return array<string, mixed>
	 */
	public static function from_product( $product, string $currency, string $email ): array {
		$price = function_exists( 'wc_get_price_excluding_tax' ) ? wc_get_price_excluding_tax( $product ) : $product->get_price();
		$line  = array(
			'product_id' => (string) $product->get_id(),
			'categories' => self::categories( (int) $product->get_id() ),
			'quantity'   => 1,
			'total'      => Money::to_minor( $price, $currency ),
		);
		return self::body( array( $line ), $currency, $email );
	}

	/**
	 * Assembles the body; "shop" is added by RewardsReader.
	 *
	 * @param array<int, array<string, mixed>> $lines    Lines.
	 * @param string                           $currency ISO 4217 code.
	 * @param string                           $email    Customer e-mail or ''.
	 * @return array<string, mixed>
	 */
	private static function body( array $lines, string $currency, string $email ): array {
		$body = array(
			'currency' => strtoupper( $currency ),
			'lines'    => $lines,
			'discount' => 0,
		);
		if ( '' !== $email ) {
			$body['customer_email'] = strtolower( trim( $email ) );
		}
		return $body;
	}

	/**
	 * A product's category slugs, sorted so equal carts cache alike.
	 *
	 * @param int $product_id Product (parent) id.
	 * @return string[]
	 */
	private static function categories( int $product_id ): array {
		$terms = get_the_terms( $product_id, 'product_cat' );
		if ( ! is_array( $terms ) ) {
			return array();
		}
		$slugs = array_map(
			static function ( $term ) {
				return (string) $term->slug;
			},
			$terms
		);
		sort( $slugs );
		return $slugs;
	}
}
