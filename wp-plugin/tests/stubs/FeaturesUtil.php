<?php
/**
 * Test stub (not WooCommerce): records FeaturesUtil::declare_compatibility() calls so tests
 * can check what a plugin declared in before_woocommerce_init (INTEGRATION.md W4).
 *
 * @package Rewardd\Tests
 */

namespace Automattic\WooCommerce\Utilities;

/**
 * Stub of WooCommerce's FeaturesUtil.
 */
class FeaturesUtil {

	/**
	 * Declarations: feature => [plugin file => compatible].
	 *
	 * @var array<string, array<string, bool>>
	 */
	public static $declared = array();

	/**
	 * Records a declaration. Like WooCommerce, only allowed inside before_woocommerce_init.
	 *
	 * @param string $feature_id  e.g. custom_order_tables.
	 * @param string $plugin_file Main plugin file.
	 * @param bool   $positive_compatibility Compatible or not.
	 */
	public static function declare_compatibility( $feature_id, $plugin_file, $positive_compatibility = true ) {
		if ( ! doing_action( 'before_woocommerce_init' ) ) {
			_doing_it_wrong( __METHOD__, 'Compatibility must be declared in before_woocommerce_init.', '7.1' );
			return false;
		}
		self::$declared[ $feature_id ][ plugin_basename( $plugin_file ) ] = (bool) $positive_compatibility;
		return true;
	}
}
