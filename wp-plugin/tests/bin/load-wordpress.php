<?php
/**
 * Loads the test WordPress (REWARDD_TEST_WP_DIR) from the command line, with the globals
 * WordPress expects to be global even when this file is included from inside a function
 * (as PHPUnit includes its bootstrap).
 *
 * @package Rewardd\Tests
 */

// phpcs:disable WordPress.WP.GlobalVariablesOverride
global $wpdb, $table_prefix, $wp, $wp_query, $wp_the_query, $wp_rewrite, $wp_roles, $wp_locale,
	$shortcode_tags, $wp_filter, $wp_actions, $wp_current_filter, $wp_version, $wp_db_version,
	$current_user, $post, $pagenow, $menu, $submenu, $admin_page_hooks, $_wp_submenu_nopriv,
	$plugin_page, $blog_id, $wp_post_types, $wp_taxonomies, $wp_object_cache, $l10n, $PHP_SELF,
	$allowedposttags, $allowedtags, $wp_scripts, $wp_styles, $wp_embed, $wp_widget_factory;

$rewardd_wp_dir = (string) getenv( 'REWARDD_TEST_WP_DIR' );
if ( '' === $rewardd_wp_dir || ! is_file( $rewardd_wp_dir . '/wp-load.php' ) ) {
	fwrite( STDERR, "REWARDD_TEST_WP_DIR must point at the test WordPress; run scripts/test-php.\n" );
	exit( 1 );
}
$rewardd_home                = (string) parse_url( 'http://localhost:' . getenv( 'REWARDD_TEST_WP_PORT' ), PHP_URL_HOST );
$_SERVER['HTTP_HOST']        = 'localhost:' . getenv( 'REWARDD_TEST_WP_PORT' );
$_SERVER['SERVER_NAME']      = $rewardd_home;
$_SERVER['SERVER_PORT']      = (string) getenv( 'REWARDD_TEST_WP_PORT' );
$_SERVER['REQUEST_URI']      = '/';
$_SERVER['REQUEST_METHOD']   = 'GET';
$_SERVER['REMOTE_ADDR']      = '127.0.0.1';
$_SERVER['SERVER_PROTOCOL']  = 'HTTP/1.1';
$PHP_SELF                    = '/index.php';
$_SERVER['PHP_SELF']         = $PHP_SELF;
if ( ! defined( 'WP_USE_THEMES' ) ) {
	define( 'WP_USE_THEMES', false );
}
require_once $rewardd_wp_dir . '/wp-load.php';
