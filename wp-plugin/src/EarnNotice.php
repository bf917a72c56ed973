<?php
/**
 * "This order earns N points" on the cart, checkout and product pages: classic templates
 * through WooCommerce's action hooks, the block Cart and Checkout through render_block.
 * Never blocks the page: RewardsReader caches and gives up fast, and the line then says
 * rewards are unavailable. Depends on RewardsReader, passed in, and WooCommerce's cart.
 *
 * @package Rewardd
 */

namespace Rewardd;

defined( 'ABSPATH' ) || exit;

/**
 * The points line.
 */
final class EarnNotice {

	/**
	 * Blocks that get the line in front of them.
	 */
	const BLOCKS = array( 'woocommerce/cart', 'woocommerce/checkout' );

	/**
	 * Cached reads.
	 *
	 * @var RewardsReader
	 */
	private $reader;

	/**
	 * Builds the notice.
	 *
	 * @param RewardsReader $reader Cached reads.
	 */
	public function __construct( RewardsReader $reader ) {
		$this->reader = $reader;
	}

	/**
	 * Hooks the classic templates and the blocks.
	 */
	public function register(): void {
		add_action( 'woocommerce_single_product_summary', array( $this, 'print_for_product' ), 25 );
		add_action( 'woocommerce_proceed_to_checkout', array( $this, 'print_for_cart' ), 5 );
		add_action( 'woocommerce_review_order_before_payment', array( $this, 'print_for_cart' ) );
		add_filter( 'render_block', array( $this, 'add_to_block' ), 10, 2 );
	}

	/**
	 * Prints the line for the current cart.
	 */
	public function print_for_cart(): void {
		echo $this->cart_line(); // phpcs:ignore WordPress.Security.EscapeOutput.OutputNotEscaped -- built escaped.
	}

	/**
	 * Prints the line for the product being shown.
	 */
	public function print_for_product(): void {
		global $product;
		if ( is_object( $product ) && method_exists( $product, 'get_id' ) ) {
			echo $this->product_line( $product ); // phpcs:ignore WordPress.Security.EscapeOutput.OutputNotEscaped -- built escaped.
		}
	}

	/**
	 * Puts the line in front of the Cart and Checkout blocks.
	 *
	 * @param string               $content Block HTML.
	 * @param array<string, mixed> $block   Parsed block.
	 * @return string
	 */
	public function add_to_block( $content, $block ) {
		if ( ! isset( $block['blockName'] ) || ! in_array( $block['blockName'], self::BLOCKS, true ) ) {
			return $content;
		}
		return $this->cart_line() . $content;
	}

	/**
	 * The cart's line as HTML, '' for an empty cart.
	 */
	public function cart_line(): string {
		$cart = function_exists( 'WC' ) && WC() ? WC()->cart : null;
		if ( ! $cart || $cart->is_empty() ) {
			return '';
		}
		$points = $this->reader->quote( QuoteBuilder::from_cart( $cart, get_woocommerce_currency(), self::email() ) );
		/* translators: %s: number of points */
		return self::line( $points, __( 'Complete this order to earn %s points.', 'rewardd' ) );
	}

	/**
	 * A product's line as HTML.
	 *
	 * @param \WC_Product $product Product.
	 */
	public function product_line( $product ): string {
		$points = $this->reader->quote( QuoteBuilder::from_product( $product, get_woocommerce_currency(), self::email() ) );
		/* translators: %s: number of points */
		return self::line( $points, __( 'Buy this and earn %s points.', 'rewardd' ) );
	}

	/**
	 * Formats the paragraph; nothing for zero points.
	 *
	 * @param int|null $points Points, or null when rewardd is unavailable.
	 * @param string   $format Sentence with %s for the number.
	 */
	private static function line( ?int $points, string $format ): string {
		if ( null === $points ) {
			return '<p class="rewardd-earn rewardd-unavailable">' . esc_html__( 'Rewards are unavailable right now.', 'rewardd' ) . '</p>';
		}
		if ( $points <= 0 ) {
			return '';
		}
		$number = '<strong>' . esc_html( number_format_i18n( $points ) ) . '</strong>';
		return '<p class="rewardd-earn">' . sprintf( esc_html( $format ), $number ) . '</p>';
	}

	/**
	 * The logged-in customer's confirmed e-mail, or '' (a guest's quote): the quote of an
	 * unconfirmed address could tell another customer's tier.
	 */
	private static function email(): string {
		return EmailVerification::verified_email( wp_get_current_user() );
	}
}
