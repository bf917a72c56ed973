<?php
/**
 * Plugin Name: rewardd screenshot login (tests only)
 * Description: Copied into the throwaway test WordPress's mu-plugins by ScreenshotTest only.
 *              A request carrying the one-time key stored in the option
 *              rewardd_screenshot_key is treated as logged in as the user that option names,
 *              because headless Chromium's --screenshot cannot send a login cookie.
 *
 * @package Rewardd\Tests
 */

add_action(
	'plugins_loaded',
	static function () {
		$wanted = get_option( 'rewardd_screenshot_key' );
		// phpcs:ignore WordPress.Security.NonceVerification.Recommended
		$given = isset( $_GET['rewardd_screenshot_key'] ) ? sanitize_text_field( wp_unslash( $_GET['rewardd_screenshot_key'] ) ) : '';
		if ( ! is_array( $wanted ) || '' === $given || ! hash_equals( $wanted['key'], $given ) ) {
			return;
		}
		$expires                   = time() + HOUR_IN_SECONDS;
		$_COOKIE[ AUTH_COOKIE ]      = wp_generate_auth_cookie( $wanted['user_id'], $expires, 'auth' );
		$_COOKIE[ LOGGED_IN_COOKIE ] = wp_generate_auth_cookie( $wanted['user_id'], $expires, 'logged_in' );
	},
	0
);
