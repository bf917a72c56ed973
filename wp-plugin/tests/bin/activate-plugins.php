<?php
/**
 * Activates the WooCommerce test stub and rewardd in the test WordPress the way the
 * Plugins screen does (activate_plugin), and fails loudly on any error or output.
 * Called by scripts/test-php after install-wordpress.php.
 *
 * @package Rewardd\Tests
 */

define( 'WP_ADMIN', true );
require __DIR__ . '/load-wordpress.php';
require_once ABSPATH . 'wp-admin/includes/plugin.php';

wp_set_current_user( 1 );
foreach ( array( 'woocommerce/woocommerce.php', 'rewardd/rewardd.php' ) as $plugin ) {
	ob_start();
	$result = activate_plugin( $plugin, '', false, false );
	$output = ob_get_clean();
	if ( is_wp_error( $result ) || '' !== $output ) {
		fwrite( STDERR, "activating $plugin failed: " . ( is_wp_error( $result ) ? $result->get_error_message() : $output ) . "\n" );
		exit( 1 );
	}
	echo "activated $plugin\n";
}
