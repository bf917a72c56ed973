<?php
/**
 * Plugin Name: WooCommerce (rewardd test stub)
 * Description: NOT WooCommerce. The minimum of WooCommerce's classes and functions that the
 *              rewardd plugin touches, written from shared/spec/INTEGRATION.md (W1, W3.1, W4)
 *              so the plugin can be tested in a real WordPress without WooCommerce, which is
 *              not a Debian package. Used only by wp-plugin/tests.
 * Version: 0.0.0-stub
 *
 * @package Rewardd\Tests
 */

defined( 'ABSPATH' ) || exit;

require_once __DIR__ . '/FeaturesUtil.php';
require_once __DIR__ . '/class-wc-webhook.php';
require_once __DIR__ . '/class-wc-datetime.php';
require_once __DIR__ . '/class-wc-order.php';
require_once __DIR__ . '/class-wc-product.php';
require_once __DIR__ . '/class-wc-cart.php';
require_once __DIR__ . '/class-woocommerce.php';
require_once __DIR__ . '/functions.php';
require_once __DIR__ . '/action-scheduler.php';

register_activation_hook( __FILE__, array( 'WooCommerce', 'install' ) );

$GLOBALS['woocommerce'] = WooCommerce::instance();
