<?php
/**
 * The one small stylesheet added to storefront pages (under 15 KB with any script), and
 * only where rewardd shows something: product, cart, checkout and My Account pages.
 * Depends on WordPress and WooCommerce conditionals.
 *
 * @package Rewardd
 */

namespace Rewardd;

defined( 'ABSPATH' ) || exit;

/**
 * Front-end assets.
 */
final class Assets {

	/**
	 * Path of the main plugin file.
	 *
	 * @var string
	 */
	private $plugin_file;

	/**
	 * Builds the asset loader.
	 *
	 * @param string $plugin_file Path of rewardd.php.
	 */
	public function __construct( string $plugin_file ) {
		$this->plugin_file = $plugin_file;
	}

	/**
	 * Hooks enqueueing.
	 */
	public function register(): void {
		add_action( 'wp_enqueue_scripts', array( $this, 'enqueue' ) );
	}

	/**
	 * Enqueues the stylesheet where rewardd prints something.
	 */
	public function enqueue(): void {
		if ( ! $this->is_rewardd_page() ) {
			return;
		}
		wp_enqueue_style( 'rewardd', plugins_url( 'assets/rewardd.css', $this->plugin_file ), array(), REWARDD_VERSION );
	}

	/**
	 * True on product, cart, checkout and account pages.
	 */
	private function is_rewardd_page(): bool {
		foreach ( array( 'is_product', 'is_cart', 'is_checkout', 'is_account_page' ) as $conditional ) {
			if ( function_exists( $conditional ) && $conditional() ) {
				return true;
			}
		}
		return false;
	}
}
