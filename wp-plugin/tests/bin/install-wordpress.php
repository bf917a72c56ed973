<?php
/**
 * Installs the test WordPress into the empty test database (wp_install), once per run.
 * Called by scripts/test-php.
 *
 * @package Rewardd\Tests
 */

define( 'WP_INSTALLING', true );
require __DIR__ . '/load-wordpress.php';
require_once ABSPATH . 'wp-admin/includes/upgrade.php';

if ( is_blog_installed() ) {
	echo "WordPress is already installed\n";
	exit( 0 );
}
$result = wp_install( 'rewardd test shop', 'admin', 'admin@example.test', false, '', 'admin-password-for-tests' );
if ( empty( $result['user_id'] ) ) {
	fwrite( STDERR, "wp_install failed\n" );
	exit( 1 );
}
echo 'WordPress ' . get_bloginfo( 'version' ) . ' installed at ' . home_url() . "\n";
