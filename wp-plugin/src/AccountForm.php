<?php
/**
 * What the forms on the Rewards tab share (Redeem, Confirm your e-mail address): a POST
 * naming its rewardd_action, accepted only from a logged-in user with a valid nonce, and
 * answered with a message on the tab (post/redirect/get). Depends on WordPress only.
 *
 * @package Rewardd
 */

namespace Rewardd;

defined( 'ABSPATH' ) || exit;

/**
 * The Rewards tab's form plumbing.
 */
final class AccountForm {

	/**
	 * Prefix of the per-user transient holding the message for the next view of the tab.
	 */
	const FLASH = 'rewardd_flash_';

	/**
	 * The user submitting the form $action, or null when this request is not that form;
	 * without a logged-in user or a valid $nonce the request ends with 403.
	 *
	 * @param string $action Value of rewardd_action.
	 * @param string $nonce  Nonce action.
	 */
	public static function submitter( string $action, string $nonce ): ?\WP_User {
		// phpcs:disable WordPress.Security.NonceVerification.Missing -- verified just below.
		if ( ! isset( $_POST['rewardd_action'] ) || $action !== $_POST['rewardd_action'] ) {
			return null;
		}
		$user = wp_get_current_user();
		if ( ! $user->exists() || ! isset( $_POST['_wpnonce'] ) || ! wp_verify_nonce( sanitize_key( wp_unslash( $_POST['_wpnonce'] ) ), $nonce ) ) {
			wp_die( esc_html__( 'Your session has expired. Please reload the page and try again.', 'rewardd' ), esc_html__( 'Forbidden', 'rewardd' ), array( 'response' => 403 ) );
		}
		// phpcs:enable
		return $user;
	}

	/**
	 * Keeps the message for the tab and goes there.
	 *
	 * @param int                                  $user_id User.
	 * @param array{type: string, message: string} $notice  Message.
	 */
	public static function finish( int $user_id, array $notice ): void {
		set_transient( self::FLASH . $user_id, $notice, 10 * MINUTE_IN_SECONDS );
		wp_safe_redirect( function_exists( 'wc_get_account_endpoint_url' ) ? wc_get_account_endpoint_url( AccountTab::ENDPOINT ) : home_url( '/' ) );
		exit;
	}
}
