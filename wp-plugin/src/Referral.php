<?php
/**
 * Referral links: ?ref=CODE is kept in a cookie and written to the order's meta
 * (rewardd_referral_code) at checkout, classic and blocks alike, through the order object
 * so it works under HPOS. New customer accounts get it as user meta too, so it travels in
 * the customer.created webhook. No call to rewardd is made here: the daemon reads the code
 * from the webhooks. Depends on WordPress and WooCommerce hooks only.
 *
 * @package Rewardd
 */

namespace Rewardd;

defined( 'ABSPATH' ) || exit;

/**
 * Captures and attaches referral codes.
 */
final class Referral {

	const QUERY_ARG   = 'ref';
	const COOKIE      = 'rewardd_ref';
	const META_KEY    = 'rewardd_referral_code';
	const COOKIE_DAYS = 30;

	/**
	 * Hooks capture and the checkout writers.
	 */
	public function register(): void {
		add_action( 'init', array( $this, 'capture_from_query' ) );
		add_action( 'woocommerce_checkout_create_order', array( $this, 'attach_to_order' ), 10, 1 );
		add_action( 'woocommerce_store_api_checkout_update_order_meta', array( $this, 'attach_to_order' ), 10, 1 );
		add_action( 'woocommerce_created_customer', array( $this, 'attach_to_user' ), 10, 1 );
	}

	/**
	 * Keeps only [A-Za-z0-9_-], at most 64 characters.
	 *
	 * @param string $raw Code from a URL, cookie or the daemon.
	 */
	public static function sanitize_code( string $raw ): string {
		return substr( (string) preg_replace( '/[^A-Za-z0-9_-]/', '', $raw ), 0, 64 );
	}

	/**
	 * A shareable link carrying the code.
	 *
	 * @param string $code Referral code.
	 */
	public static function link( string $code ): string {
		return add_query_arg( self::QUERY_ARG, rawurlencode( $code ), home_url( '/' ) );
	}

	/**
	 * Stores ?ref=CODE in a cookie for COOKIE_DAYS days.
	 */
	public function capture_from_query(): void {
		// phpcs:ignore WordPress.Security.NonceVerification.Recommended -- a public link, nothing is changed on the server.
		$code = isset( $_GET[ self::QUERY_ARG ] ) ? self::sanitize_code( sanitize_text_field( wp_unslash( $_GET[ self::QUERY_ARG ] ) ) ) : '';
		if ( '' === $code ) {
			return;
		}
		$_COOKIE[ self::COOKIE ] = $code;
		if ( headers_sent() ) {
			return;
		}
		$expires = time() + self::COOKIE_DAYS * DAY_IN_SECONDS;
		if ( function_exists( 'wc_setcookie' ) ) {
			wc_setcookie( self::COOKIE, $code, $expires, is_ssl(), true );
			return;
		}
		setcookie( self::COOKIE, $code, $expires, COOKIEPATH ? COOKIEPATH : '/', COOKIE_DOMAIN, is_ssl(), true );
	}

	/**
	 * The code carried by this visitor, or ''.
	 */
	public function current_code(): string {
		if ( ! isset( $_COOKIE[ self::COOKIE ] ) ) {
			return '';
		}
		return self::sanitize_code( sanitize_text_field( wp_unslash( $_COOKIE[ self::COOKIE ] ) ) );
	}

	/**
	 * Writes the code to the order being created; WooCommerce saves the order afterwards.
	 *
	 * @param \WC_Order $order Order under construction.
	 */
	public function attach_to_order( $order ): void {
		$code = $this->current_code();
		if ( '' === $code || ! is_object( $order ) || ! method_exists( $order, 'update_meta_data' ) ) {
			return;
		}
		if ( '' !== (string) $order->get_meta( self::META_KEY ) ) {
			return;
		}
		$order->update_meta_data( self::META_KEY, $code );
	}

	/**
	 * Writes the code to a new customer's user meta.
	 *
	 * @param int $user_id New customer.
	 */
	public function attach_to_user( $user_id ): void {
		$code = $this->current_code();
		if ( '' !== $code && (int) $user_id > 0 ) {
			update_user_meta( (int) $user_id, self::META_KEY, $code );
		}
	}
}
