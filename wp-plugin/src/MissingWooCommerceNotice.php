<?php
/**
 * The admin notice shown, instead of anything else, when WooCommerce is not active.
 * Depends on WordPress only.
 *
 * @package Rewardd
 */

namespace Rewardd;

defined( 'ABSPATH' ) || exit;

/**
 * "rewardd needs WooCommerce".
 */
final class MissingWooCommerceNotice {

	/**
	 * Hooks the notice.
	 */
	public function register(): void {
		add_action( 'admin_notices', array( $this, 'render' ) );
	}

	/**
	 * Prints the notice to users who can act on it.
	 */
	public function render(): void {
		if ( ! current_user_can( 'activate_plugins' ) ) {
			return;
		}
		echo '<div class="notice notice-error rewardd-needs-woocommerce"><p>';
		echo esc_html__( 'rewardd needs WooCommerce. Install and activate WooCommerce; until then rewardd does nothing.', 'rewardd' );
		echo '</p></div>';
	}
}
