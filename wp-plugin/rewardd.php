<?php
/**
 * Plugin Name:          rewardd
 * Plugin URI:           https://github.com/rewardd/rewardd
 * Description:          Points, tiers, cashback and referrals for WooCommerce, kept by your own rewardd daemon.
 * Version:              0.1.0
 * Requires at least:    6.1
 * Requires PHP:         7.4
 * Requires Plugins:     woocommerce
 * Author:               rewardd
 * License:              GPL-2.0-or-later
 * License URI:          https://www.gnu.org/licenses/gpl-2.0.html
 * Text Domain:          rewardd
 * Domain Path:          /languages
 * WC requires at least: 7.9
 * WC tested up to:      9.4
 *
 * Header and bootstrap only: everything else lives in src/ under the Rewardd\ namespace.
 *
 * @package Rewardd
 */

defined( 'ABSPATH' ) || exit;

define( 'REWARDD_VERSION', '0.1.0' );
define( 'REWARDD_PLUGIN_FILE', __FILE__ );

spl_autoload_register(
	static function ( $class_name ) {
		$prefix = 'Rewardd\\';
		if ( 0 !== strncmp( $class_name, $prefix, strlen( $prefix ) ) ) {
			return;
		}
		$relative = str_replace( '\\', '/', substr( $class_name, strlen( $prefix ) ) );
		$file     = __DIR__ . '/src/' . $relative . '.php';
		if ( is_readable( $file ) ) {
			require_once $file;
		}
	}
);

add_action(
	'before_woocommerce_init',
	static function () {
		if ( class_exists( \Automattic\WooCommerce\Utilities\FeaturesUtil::class ) ) {
			\Automattic\WooCommerce\Utilities\FeaturesUtil::declare_compatibility( 'custom_order_tables', __FILE__, true );
			\Automattic\WooCommerce\Utilities\FeaturesUtil::declare_compatibility( 'cart_checkout_blocks', __FILE__, true );
		}
	}
);

register_activation_hook( __FILE__, array( \Rewardd\Lifecycle::class, 'activate' ) );
register_deactivation_hook( __FILE__, array( \Rewardd\Lifecycle::class, 'deactivate' ) );

add_action(
	'plugins_loaded',
	static function () {
		$GLOBALS['rewardd'] = new \Rewardd\Plugin( __FILE__ );
		$GLOBALS['rewardd']->boot();
	}
);
