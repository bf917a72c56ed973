<?php
/**
 * Loads the test WordPress with rewardd active but WooCommerce not, runs the admin_notices
 * action as an administrator and prints JSON describing what rewardd did, for
 * tests/unit/WithoutWooCommerceTest.php.
 *
 * @package Rewardd\Tests
 */

// Preinitialised hook (WP_Hook::build_preinitialized_hooks): drop WooCommerce from the
// active plugins before WordPress loads them.
$GLOBALS['wp_filter']['option_active_plugins'][10][] = array(
	'function'      => static function ( $plugins ) {
		return array_values( array_diff( (array) $plugins, array( 'woocommerce/woocommerce.php' ) ) );
	},
	'accepted_args' => 1,
);
define( 'WP_ADMIN', true );
require __DIR__ . '/load-wordpress.php';

wp_set_current_user( 1 );
ob_start();
do_action( 'admin_notices' );
$notices = ob_get_clean();

echo wp_json_encode(
	array(
		'woocommerce_loaded'   => class_exists( 'WooCommerce' ),
		'rewardd_loaded'       => isset( $GLOBALS['rewardd'] ),
		'admin_notices'        => $notices,
		'http_filter_added'    => (bool) has_filter( 'http_allowed_safe_ports' ) && false !== has_filter( 'http_allowed_safe_ports' ),
		'account_menu_filter'  => (bool) has_filter( 'woocommerce_account_menu_items' ),
		'admin_post_connect'   => (bool) has_action( 'admin_post_rewardd_connect' ),
		'render_block_filters' => isset( $GLOBALS['wp_filter']['render_block'] ) ? count( $GLOBALS['wp_filter']['render_block']->callbacks, COUNT_RECURSIVE ) : 0,
		'services'             => isset( $GLOBALS['rewardd'] ) && $GLOBALS['rewardd']->service( 'settings' ) ? 'built' : 'none',
	)
);
