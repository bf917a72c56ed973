<?php
/**
 * Proof that a customer owns the e-mail address rewardd knows them by. rewardd keys a
 * customer by address (guest orders included) and WooCommerce's "Account details" form
 * changes a user's address without any confirmation, so the plugin shows and redeems points
 * only for an address the user confirmed: a single-use link, valid for a day, mailed to that
 * address, followed while logged in as that user. Only a hash of the link's token is stored,
 * with the address it was sent to; changing the address forgets both. Nobody is trusted
 * without a link, existing users included. Depends on AccountForm, WordPress user meta and
 * wp_mail.
 *
 * @package Rewardd
 */

namespace Rewardd;

defined( 'ABSPATH' ) || exit;

/**
 * The "Confirm your e-mail address" button, its mail and its link.
 */
final class EmailVerification {

	const VERIFIED = 'rewardd_verified_email';
	const TOKEN    = 'rewardd_email_token';
	const NONCE    = 'rewardd_confirm_email';
	const QUERY    = 'rewardd_confirm';

	/**
	 * Query argument of the My Account login page carrying the link to come back to (see
	 * render_way_back()); the name WooCommerce's login handler reads from its form.
	 */
	const REDIRECT = 'redirect';

	/**
	 * How long a link is valid.
	 */
	const TOKEN_SECONDS = DAY_IN_SECONDS;

	/**
	 * A second mail is not sent sooner, so the button cannot be used to flood an inbox.
	 */
	const RESEND_SECONDS = MINUTE_IN_SECONDS;

	/**
	 * Hooks the button's handler, the link's handler and the address change.
	 */
	public function register(): void {
		add_action( 'wp_loaded', array( $this, 'handle_request' ), 20 );
		add_action( 'wp_loaded', array( $this, 'handle_link' ), 20 );
		add_action( 'profile_update', array( $this, 'forget_on_change' ), 10, 2 );
		add_action( 'woocommerce_login_form', array( self::class, 'render_way_back' ) );
	}

	/**
	 * An address as rewardd keys it: trimmed, lower-cased.
	 *
	 * @param string $email Address.
	 */
	public static function normalise( string $email ): string {
		return strtolower( trim( $email ) );
	}

	/**
	 * The user's address, normalised, when they have confirmed it; else ''.
	 *
	 * @param \WP_User $user User.
	 */
	public static function verified_email( \WP_User $user ): string {
		$email = self::normalise( (string) $user->user_email );
		if ( ! $user->exists() || '' === $email ) {
			return '';
		}
		return hash_equals( $email, (string) get_user_meta( $user->ID, self::VERIFIED, true ) ) ? $email : '';
	}

	/**
	 * The button's form, for the Rewards tab.
	 */
	public static function render_button(): void {
		echo '<form method="post" class="rewardd-confirm-email-form">';
		wp_nonce_field( self::NONCE );
		echo '<input type="hidden" name="rewardd_action" value="confirm_email">';
		echo '<button type="submit" class="button">' . esc_html__( 'Confirm your e-mail address to see your rewards', 'rewardd' ) . '</button>';
		echo '</form>';
	}

	/**
	 * The button: mails a new link to the account's address and goes back to the tab.
	 */
	public function handle_request(): void {
		$user = AccountForm::submitter( 'confirm_email', self::NONCE );
		if ( null !== $user ) {
			AccountForm::finish( (int) $user->ID, $this->send( $user ) );
		}
	}

	/**
	 * The link: confirms the address when the token is this user's, unused, unexpired and
	 * was sent to the address the account has now. A visitor who is not logged in logs in first
	 * (login_url()) and comes back to the link.
	 */
	public function handle_link(): void {
		// phpcs:ignore WordPress.Security.NonceVerification.Recommended -- the token is the proof.
		$token = isset( $_GET[ self::QUERY ] ) ? sanitize_text_field( wp_unslash( $_GET[ self::QUERY ] ) ) : '';
		if ( '' === $token ) {
			return;
		}
		$user = wp_get_current_user();
		if ( ! $user->exists() ) {
			wp_safe_redirect( self::login_url( self::link( $token ) ) );
			exit;
		}
		AccountForm::finish( (int) $user->ID, $this->confirm( $user, $token ) );
	}

	/**
	 * Where a logged-out visitor logs in before the link is checked: on a shop, customers log
	 * in on the My Account page, so there (with the link as REDIRECT to come back to), and on
	 * wp-login.php only where the shop has no My Account page.
	 *
	 * @param string $back The link, to follow again once logged in.
	 */
	private static function login_url( string $back ): string {
		$account = function_exists( 'wc_get_page_permalink' ) ? (string) wc_get_page_permalink( 'myaccount', '' ) : '';
		if ( '' === $account ) {
			return wp_login_url( $back );
		}
		return add_query_arg( self::REDIRECT, rawurlencode( $back ), $account );
	}

	/**
	 * In WooCommerce's login form: the way back to the link. After a login WooCommerce goes to
	 * the form's posted "redirect" (WC_Form_Handler::process_login, through wp_validate_redirect),
	 * else to the page the form was on, and its My Account form has no such field: without this
	 * the customer would land on My Account and have to find the mail again. Only a link of
	 * this site that carries a token is passed on, so the field sends nobody anywhere else;
	 * the link itself still checks user, token, expiry and address once they are logged in.
	 */
	public static function render_way_back(): void {
		// phpcs:ignore WordPress.Security.NonceVerification.Recommended -- only a place to go back to.
		$back = isset( $_GET[ self::REDIRECT ] ) ? wp_validate_redirect( esc_url_raw( wp_unslash( $_GET[ self::REDIRECT ] ) ), '' ) : '';
		if ( '' === $back || '' === self::token_in( $back ) ) {
			return;
		}
		echo '<input type="hidden" name="redirect" value="' . esc_url( $back ) . '">';
	}

	/**
	 * The token a link carries, or ''.
	 *
	 * @param string $url Link.
	 */
	private static function token_in( string $url ): string {
		parse_str( (string) wp_parse_url( $url, PHP_URL_QUERY ), $query );
		return is_string( $query[ self::QUERY ] ?? null ) ? $query[ self::QUERY ] : '';
	}

	/**
	 * Mails a link for the user's current address, replacing any earlier one.
	 *
	 * @param \WP_User $user User.
	 * @return array{type: string, message: string} What to tell them.
	 */
	public function send( \WP_User $user ): array {
		$email = self::normalise( (string) $user->user_email );
		$sent  = get_user_meta( $user->ID, self::TOKEN, true );
		if ( is_array( $sent ) && ( $sent['email'] ?? '' ) === $email && (int) ( $sent['sent_at'] ?? 0 ) > time() - self::RESEND_SECONDS ) {
			/* translators: %s: e-mail address */
			return self::notice( 'success', sprintf( __( 'We have just sent a link to %s. Follow it to see your rewards.', 'rewardd' ), $email ) );
		}
		$token = bin2hex( random_bytes( 24 ) );
		update_user_meta(
			$user->ID,
			self::TOKEN,
			array(
				'hash'    => hash( 'sha256', $token ),
				'email'   => $email,
				'sent_at' => time(),
				'expires' => time() + self::TOKEN_SECONDS,
			)
		);
		/* translators: %s: site name */
		$subject = sprintf( __( '[%s] Confirm your e-mail address to see your rewards', 'rewardd' ), wp_specialchars_decode( get_bloginfo( 'name' ), ENT_QUOTES ) );
		/* translators: 1: e-mail address, 2: site address, 3: the link */
		$body = sprintf( __( "Hello,\n\nTo see and redeem the rewards of %1\$s on your account at %2\$s, follow this link while you are logged in:\n\n%3\$s\n\nThe link works once, for 24 hours. If you did not ask for it, ignore this e-mail: nothing changes.\n", 'rewardd' ), $email, home_url( '/' ), self::link( $token ) );
		if ( ! wp_mail( $email, $subject, $body ) ) {
			delete_user_meta( $user->ID, self::TOKEN );
			return self::notice( 'error', __( 'The e-mail could not be sent. Please try again later.', 'rewardd' ) );
		}
		/* translators: %s: e-mail address */
		return self::notice( 'success', sprintf( __( 'We sent a link to %s. Follow it while logged in to see your rewards.', 'rewardd' ), $email ) );
	}

	/**
	 * Checks a token against the user's stored hash and, when it fits, confirms the address.
	 *
	 * @param \WP_User $user  The logged-in user.
	 * @param string   $token Token from the link.
	 * @return array{type: string, message: string} What to tell them.
	 */
	public function confirm( \WP_User $user, string $token ): array {
		$sent  = get_user_meta( $user->ID, self::TOKEN, true );
		$email = self::normalise( (string) $user->user_email );
		$fits  = is_array( $sent ) && isset( $sent['hash'], $sent['email'], $sent['expires'] )
			&& hash_equals( (string) $sent['hash'], hash( 'sha256', $token ) )
			&& (int) $sent['expires'] >= time() && $sent['email'] === $email;
		if ( ! $fits ) {
			return self::notice( 'error', __( 'That link is not valid any more: it was used, is older than 24 hours, belongs to another account or to another e-mail address. Ask for a new one below.', 'rewardd' ) );
		}
		delete_user_meta( $user->ID, self::TOKEN );
		update_user_meta( $user->ID, self::VERIFIED, $email );
		/* translators: %s: e-mail address */
		return self::notice( 'success', sprintf( __( 'Thank you: %s is confirmed.', 'rewardd' ), $email ) );
	}

	/**
	 * A changed address is unconfirmed, and a link sent for the old one is void.
	 *
	 * @param int      $user_id  User.
	 * @param \WP_User $old_user The user before the change.
	 */
	public function forget_on_change( $user_id, $old_user ): void {
		$user = get_userdata( (int) $user_id );
		if ( ! $user || ! $old_user instanceof \WP_User || self::normalise( (string) $old_user->user_email ) === self::normalise( (string) $user->user_email ) ) {
			return;
		}
		delete_user_meta( (int) $user_id, self::VERIFIED );
		delete_user_meta( (int) $user_id, self::TOKEN );
	}

	/**
	 * The link for a token: the Rewards tab with the token as a query argument.
	 *
	 * @param string $token Token.
	 */
	private static function link( string $token ): string {
		$tab = function_exists( 'wc_get_account_endpoint_url' ) ? wc_get_account_endpoint_url( AccountTab::ENDPOINT ) : home_url( '/' );
		return add_query_arg( self::QUERY, rawurlencode( $token ), $tab );
	}

	/**
	 * One message.
	 *
	 * @param string $type    success or error.
	 * @param string $message Sentence.
	 * @return array{type: string, message: string}
	 */
	private static function notice( string $type, string $message ): array {
		return array(
			'type'    => $type,
			'message' => $message,
		);
	}
}
