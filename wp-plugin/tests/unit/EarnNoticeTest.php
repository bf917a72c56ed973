<?php
/**
 * "This order earns N points" on classic cart/checkout, the Cart/Checkout blocks and the
 * product page, built from POST /api/v1/quote and cached briefly.
 *
 * @package Rewardd\Tests
 */

namespace Rewardd\Tests;

/**
 * The points line.
 */
final class EarnNoticeTest extends TestCase {

	/**
	 * A product post with a price and a category.
	 *
	 * @param string $title    Title.
	 * @param string $price    Price.
	 * @param string $category Category slug.
	 */
	private function product( string $title, string $price, string $category ): int {
		$id = wp_insert_post( array( 'post_type' => 'product', 'post_status' => 'publish', 'post_title' => $title ) );
		update_post_meta( $id, '_price', $price );
		wp_set_object_terms( $id, $category, 'product_cat' );
		return $id;
	}

	protected function setUp(): void {
		parent::setUp();
		$this->configure();
		$this->register_shop_in_fake();
	}

	public function test_what_happens_when_a_cart_is_quoted(): void {
		$shoes = $this->product( 'Shoes', '199.00', 'shoes' );
		$socks = $this->product( 'Socks', '100.50', 'socks' );
		WC()->cart->add_to_cart( $shoes, 2, '398.00' );
		WC()->cart->add_to_cart( $socks, 1, '100.50' );
		wp_set_current_user( $this->customer( 'kari', 'Kari@Example.test' )->ID );

		$html = $this->capture(
			static function () {
				do_action( 'woocommerce_proceed_to_checkout' );
			}
		);
		$this->assertSame( 'Complete this order to earn 498 points.', self::text( $html ) );

		$quotes = array_values( array_filter( $this->fake()['requests'], static function ( $r ) { return '/api/v1/quote' === $r['path']; } ) );
		$this->assertCount( 1, $quotes );
		$body = json_decode( $quotes[0]['body'], true );
		$this->assertSame(
			array(
				'shop'           => self::SHOP_ID,
				'currency'       => 'NOK',
				'lines'          => array(
					array( 'product_id' => (string) $shoes, 'categories' => array( 'shoes' ), 'quantity' => 2, 'total' => 39800 ),
					array( 'product_id' => (string) $socks, 'categories' => array( 'socks' ), 'quantity' => 1, 'total' => 10050 ),
				),
				'discount'       => 0,
				'customer_email' => 'kari@example.test',
			),
			$body,
			'docs/API.md quote body, amounts in minor units'
		);

		$again = $this->capture(
			static function () {
				do_action( 'woocommerce_review_order_before_payment' );
			}
		);
		$this->assertSame( $html, $again, 'classic checkout shows the same line' );
		$this->assertCount( 1, array_filter( $this->fake()['requests'], static function ( $r ) { return '/api/v1/quote' === $r['path']; } ), 'served from the cache' );
	}

	public function test_what_happens_when_the_cart_and_checkout_blocks_render(): void {
		WC()->cart->add_to_cart( $this->product( 'Hat', '50.00', 'hats' ), 1, '50.00' );
		foreach ( array( 'cart', 'checkout' ) as $block ) {
			$html  = do_blocks( "<!-- wp:woocommerce/$block --><div class=\"wp-block-woocommerce-$block\">…</div><!-- /wp:woocommerce/$block -->" );
			$xpath = self::dom( $html );
			$first = $xpath->query( '/html/body/div/*' )->item( 0 );
			$this->assertSame( 'rewardd-earn', $first->getAttribute( 'class' ), "the line comes before the $block block" );
			$this->assertSame( 'Complete this order to earn 50 points.', self::text( $first->ownerDocument->saveHTML( $first ) ) );
		}
		$other = do_blocks( '<!-- wp:paragraph --><p>Hi</p><!-- /wp:paragraph -->' );
		$this->assertStringNotContainsString( 'rewardd-earn', $other, 'other blocks are left alone' );
	}

	public function test_what_happens_when_a_product_page_renders(): void {
		$GLOBALS['product'] = new \WC_Product( $this->product( 'Boots', '1299.90', 'shoes' ) );
		$html = $this->capture(
			static function () {
				do_action( 'woocommerce_single_product_summary' );
			}
		);
		unset( $GLOBALS['product'] );
		$this->assertSame( 'Buy this and earn 1,299 points.', self::text( $html ) );
		$this->assertStringContainsString( '<strong>1,299</strong>', $html );
	}

	public function test_what_happens_when_the_cart_is_empty(): void {
		$html = $this->capture(
			static function () {
				do_action( 'woocommerce_proceed_to_checkout' );
			}
		);
		$this->assertSame( '', $html );
		$this->assertSame( array(), $this->fake()['requests'], 'no call for an empty cart' );
	}
}
