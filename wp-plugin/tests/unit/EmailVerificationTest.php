<?php
/**
 * rewardd keys customers by e-mail address, guest orders included, and WooCommerce's
 * "Account details" form changes a user's address without confirmation. These tests show
 * that a user sees and redeems only the points of an address they confirmed with the mailed,
 * single-use, expiring link, against the fake rewardd. Mail is caught with pre_wp_mail.
 *
 * @package Rewardd\Tests
 */

namespace Rewardd\Tests;

/**
 * Confirming the e-mail address before rewards are shown or redeemed.
 */
final class EmailVerificationTest extends TestCase {

	const GUEST   = 'guest@example.test';
	const WALK_IN = 'walk-in@example.test';

	/**
	 * Mails wp_mail() was asked to send.
	 *
	 * @var array<int, array<string, mixed>>
	 */
	private $mails = array();

	protected function setUp(): void {
		parent::setUp();
		$this->configure();
		$this->register_shop_in_fake();
		$this->mails = array();
		add_filter( 'pre_wp_mail', array( $this, 'catch_mail' ), 10, 2 );
		$this->fake_update(
			static function ( array $s ) {
				foreach ( array( self::GUEST => 1250, self::WALK_IN => 900, 'liv@example.test' => 800 ) as $email => $points ) {
					$s['customers'][ $email ] = array(
						'available' => $points,
						'currency'  => 'NOK',
						'history'   => array(),
					);
				}
				return $s;
			}
		);
	}

	protected function tearDown(): void {
		remove_filter( 'pre_wp_mail', array( $this, 'catch_mail' ), 10 );
		parent::tearDown();
	}

	/**
	 * Filter: keeps the mail instead of sending it.
	 *
	 * @param mixed                $short_circuit Null.
	 * @param array<string, mixed> $mail          to, subject, message, headers, attachments.
	 */
	public function catch_mail( $short_circuit, $mail ): bool {
		// WordPress also mails the old address when it changes; only the plugin's count here.
		if ( false !== strpos( (string) $mail['subject'], 'Confirm your e-mail address' ) ) {
			$this->mails[] = $mail;
		}
		return true;
	}

	public function test_what_happens_when_a_user_changes_their_e_mail_to_a_guests_address(): void {
		$mallory = $this->customer( 'mallory', 'mallory@example.test' );
		wp_set_current_user( $mallory->ID );
		$this->change_email( 'Guest@Example.test' );

		$tab = self::text( $this->render_tab() );
		$this->assertStringNotContainsString( '1,250', $tab, 'the guest\'s points are not shown' );
		$this->assertStringContainsString( 'Confirm your e-mail address to see your rewards', $tab );
		$this->assertStringContainsString( 'confirm that guest@example.test is yours', $tab );

		$flash = $this->post_redeem( 600 );
		$this->assertSame( 'error', $flash['type'] );
		$this->assertStringContainsString( 'Confirm your e-mail address first', $flash['message'] );
		$this->assertSame( array(), $this->fake()['redemptions'], 'nothing redeemed' );
		$this->assertSame( array(), $this->paths_asked( 'guest%40example.test' ), 'rewardd was not even asked about the guest' );
		$this->assertSame( array(), $this->paths_asked( '/api/v1/redeem' ) );
		$this->assertSame( '', get_user_meta( $mallory->ID, 'rewardd_pending_redemption', true ) );

		WC()->cart->add_to_cart( 1, 1, '100.00' );
		$this->capture(
			static function () {
				do_action( 'woocommerce_proceed_to_checkout' );
			}
		);
		$quote = json_decode( $this->last_body( '/api/v1/quote' ), true );
		$this->assertArrayNotHasKey( 'customer_email', $quote, 'the cart is quoted as a guest\'s, which tells no tier' );
	}

	public function test_what_happens_when_a_user_registers_with_a_guests_address(): void {
		$eve = $this->user( 'eve', 'customer', self::WALK_IN );
		wp_set_current_user( $eve->ID );
		$this->assertStringNotContainsString( '900', self::text( $this->render_tab() ), 'registering with an address proves nothing either' );
		$this->assertSame( 'error', $this->post_redeem( 600 )['type'] );
		$this->assertSame( array(), $this->fake()['redemptions'] );
	}

	public function test_what_happens_when_the_confirmation_link_is_followed(): void {
		$liv = $this->unconfirmed( 'liv', 'liv@example.test' );
		$this->assertSame( wc_get_account_endpoint_url( 'rewards' ), $this->press_confirm() );
		$this->assertCount( 1, $this->mails );
		$this->assertSame( 'liv@example.test', $this->mails[0]['to'] );
		$token = $this->token_in( $this->mails[0]['message'] );
		$this->assertStringNotContainsString( $token, maybe_serialize( get_user_meta( $liv->ID, 'rewardd_email_token', true ) ), 'only a hash is stored' );
		$this->assertStringContainsString( 'We sent a link to liv@example.test.', self::text( $this->render_tab() ) );
		$this->press_confirm();
		$this->assertCount( 1, $this->mails, 'a second press within a minute sends no second mail' );

		$this->assertSame( wc_get_account_endpoint_url( 'rewards' ), $this->follow( $token ) );
		$this->assertSame( 'liv@example.test', get_user_meta( $liv->ID, 'rewardd_verified_email', true ) );
		$tab = self::text( $this->render_tab() );
		$this->assertStringContainsString( 'Thank you: liv@example.test is confirmed.', $tab );
		$this->assertStringContainsString( '800 points available', $tab );
		$this->assertSame( 'success', $this->post_redeem( 600 )['type'] );

		delete_user_meta( $liv->ID, 'rewardd_verified_email' );
		$this->follow( $token );
		$this->assertSame( '', get_user_meta( $liv->ID, 'rewardd_verified_email', true ), 'a link works once' );
	}

	public function test_what_happens_when_the_link_is_followed_while_logged_out(): void {
		$liv = $this->unconfirmed( 'liv', 'liv@example.test' );
		$this->press_confirm();
		$token   = $this->token_in( $this->mails[0]['message'] );
		$link    = add_query_arg( 'rewardd_confirm', $token, wc_get_account_endpoint_url( 'rewards' ) );
		$account = wc_get_page_permalink( 'myaccount' );

		wp_set_current_user( 0 );
		$login = $this->follow( $token );
		$this->assertSame( $account, remove_query_arg( 'redirect', $login ), 'customers log in on My Account, not on wp-login.php' );
		parse_str( (string) wp_parse_url( $login, PHP_URL_QUERY ), $query );
		$this->assertSame( $link, $query['redirect'] ?? null, 'with the link to come back to' );

		// WooCommerce's login form on that page posts the way back; its login handler goes to
		// the posted "redirect" through wp_validate_redirect (WC_Form_Handler::process_login).
		$posted = $this->way_back_field( $query['redirect'] );
		$this->assertSame( $link, wp_validate_redirect( $posted, $account ), 'back to the link after logging in' );
		$this->assertSame( '', get_user_meta( $liv->ID, 'rewardd_verified_email', true ), 'nothing confirmed while logged out' );

		wp_set_current_user( $liv->ID );
		$this->assertSame( wc_get_account_endpoint_url( 'rewards' ), $this->follow( $token ) );
		$this->assertSame( 'liv@example.test', get_user_meta( $liv->ID, 'rewardd_verified_email', true ), 'the link works once logged in' );
		delete_user_meta( $liv->ID, 'rewardd_verified_email' );
		$this->follow( $token );
		$this->assertSame( '', get_user_meta( $liv->ID, 'rewardd_verified_email', true ), 'and still only once' );

		$this->assertSame( '', $this->way_back_field( 'https://elsewhere.example/my-account/?rewardd_confirm=' . $token ), 'no way to another site' );
		$this->assertSame( '', $this->way_back_field( $account ), 'nor to a page without a link' );

		$page = get_option( 'woocommerce_myaccount_page_id' );
		delete_option( 'woocommerce_myaccount_page_id' );
		try {
			wp_set_current_user( 0 );
			$expected = wp_login_url( add_query_arg( 'rewardd_confirm', $token, wc_get_account_endpoint_url( 'rewards' ) ) );
			$this->assertSame( $expected, $this->follow( $token ), 'wp-login.php where the shop has no My Account page' );
		} finally {
			update_option( 'woocommerce_myaccount_page_id', $page );
		}
	}

	public function test_what_happens_when_a_wrong_expired_or_foreign_token_is_used(): void {
		$liv = $this->unconfirmed( 'liv', 'liv@example.test' );
		$this->press_confirm();
		$token = $this->token_in( $this->mails[0]['message'] );

		$sam = $this->unconfirmed( 'sam', 'sam@example.test' );
		$this->follow( $token );
		$this->assertSame( '', get_user_meta( $sam->ID, 'rewardd_verified_email', true ), 'another user\'s link confirms nothing for this one' );
		$this->assertStringContainsString( 'That link is not valid any more', self::text( $this->render_tab() ) );

		wp_set_current_user( $liv->ID );
		$this->follow( substr( $token, 0, -1 ) . ( '0' === substr( $token, -1 ) ? '1' : '0' ) );
		$this->assertSame( '', get_user_meta( $liv->ID, 'rewardd_verified_email', true ), 'a wrong token' );

		$stored            = get_user_meta( $liv->ID, 'rewardd_email_token', true );
		$stored['expires'] = time() - 1;
		update_user_meta( $liv->ID, 'rewardd_email_token', $stored );
		$this->follow( $token );
		$this->assertSame( '', get_user_meta( $liv->ID, 'rewardd_verified_email', true ), 'an expired token' );
	}

	public function test_what_happens_when_the_e_mail_changes_after_confirming_or_after_asking(): void {
		$liv = $this->customer( 'liv', 'liv@example.test' );
		wp_set_current_user( $liv->ID );
		$this->assertStringContainsString( '800 points available', self::text( $this->render_tab() ) );
		$this->change_email( 'liv.new@example.test' );
		$this->assertStringContainsString( 'Confirm your e-mail address to see your rewards', self::text( $this->render_tab() ), 'a changed address is unconfirmed' );

		$this->press_confirm();
		$token = $this->token_in( $this->mails[0]['message'] );
		$this->change_email( 'someone.else@example.test' );
		$this->follow( $token );
		$this->assertSame( '', get_user_meta( $liv->ID, 'rewardd_verified_email', true ), 'a link for one address does not confirm another' );
		$this->assertStringContainsString( 'confirm that someone.else@example.test is yours', self::text( $this->render_tab() ) );
	}

	/**
	 * Changes the current user's address as WooCommerce's Account details form does
	 * (wp_update_user), and logs in again so the next request sees the new address.
	 *
	 * @param string $email New address.
	 */
	private function change_email( string $email ): void {
		$id = get_current_user_id();
		$this->assertSame( $id, wp_update_user( array( 'ID' => $id, 'user_email' => $email ) ) );
		wp_set_current_user( 0 );
		wp_set_current_user( $id );
	}

	/**
	 * A customer without a confirmed address, logged in.
	 *
	 * @param string $login Login.
	 * @param string $email E-mail.
	 */
	private function unconfirmed( string $login, string $email ): \WP_User {
		$user = $this->user( $login, 'customer', $email );
		wp_set_current_user( $user->ID );
		$this->change_email( $email );
		delete_user_meta( $user->ID, 'rewardd_verified_email' );
		delete_user_meta( $user->ID, 'rewardd_email_token' );
		return wp_get_current_user();
	}

	/**
	 * Presses "Confirm your e-mail address"; returns where it redirected.
	 */
	private function press_confirm(): string {
		$_POST = array(
			'rewardd_action' => 'confirm_email',
			'_wpnonce'       => wp_create_nonce( 'rewardd_confirm_email' ),
		);
		return $this->redirect_of( 'handle_request' );
	}

	/**
	 * Follows the mailed link as the current user; returns where it redirected.
	 *
	 * @param string $token Token.
	 */
	private function follow( string $token ): string {
		$_POST = array();
		$_GET  = array( 'rewardd_confirm' => $token );
		try {
			return $this->redirect_of( 'handle_link' );
		} finally {
			$_GET = array();
		}
	}

	/**
	 * The "redirect" field WooCommerce's login form posts, when the My Account page was opened
	 * with ?redirect=$back; '' when the form has none.
	 *
	 * @param string $back Value of the query argument.
	 */
	private function way_back_field( string $back ): string {
		$_GET = array( 'redirect' => $back );
		try {
			$form = $this->capture(
				static function () {
					do_action( 'woocommerce_login_form' );
				}
			);
		} finally {
			$_GET = array();
		}
		$fields = self::dom( $form )->query( '//input[@type="hidden"][@name="redirect"]' );
		$this->assertLessThanOrEqual( 1, $fields->length );
		return $fields->length ? (string) $fields->item( 0 )->getAttribute( 'value' ) : '';
	}

	/**
	 * Runs a handler of the verification service and returns its redirect.
	 *
	 * @param string $method Method.
	 */
	private function redirect_of( string $method ): string {
		try {
			$this->service( 'verification' )->$method();
		} catch ( Redirect $redirect ) {
			return $redirect->getMessage();
		}
		$this->fail( "$method did not redirect" );
	}

	/**
	 * The token in a mailed link.
	 *
	 * @param string $message Mail body.
	 */
	private function token_in( string $message ): string {
		$this->assertSame( 1, preg_match( '#^https?://\S*[?&]rewardd_confirm=([0-9a-f]{48})\s*$#m', $message, $m ), $message );
		return $m[1];
	}

	/**
	 * Submits the Redeem form as the current user; returns the flash message it left.
	 *
	 * @param int $points Points.
	 * @return array{type: string, message: string}
	 */
	private function post_redeem( int $points ): array {
		$_POST = array(
			'rewardd_action'        => 'redeem',
			'rewardd_points'        => (string) $points,
			'rewardd_redemption_id' => 'wp-verify-' . wp_rand(),
			'_wpnonce'              => wp_create_nonce( 'rewardd_redeem' ),
		);
		try {
			$this->service( 'redemption' )->handle_form();
			$this->fail( 'the form did not redirect' );
		} catch ( Redirect $redirect ) {
			$flash = get_transient( 'rewardd_flash_' . get_current_user_id() );
		}
		delete_transient( 'rewardd_flash_' . get_current_user_id() );
		$_POST = array();
		return $flash;
	}

	/**
	 * The Rewards tab's HTML for the current user.
	 */
	private function render_tab(): string {
		return $this->capture(
			static function () {
				do_action( 'woocommerce_account_rewards_endpoint', '' );
			}
		);
	}

	/**
	 * Body of the last request rewardd got on a path.
	 *
	 * @param string $path Path.
	 */
	private function last_body( string $path ): string {
		$bodies = array_column( array_filter( $this->fake()['requests'], static function ( $r ) use ( $path ) {
			return $path === $r['path'];
		} ), 'body' );
		$this->assertNotEmpty( $bodies, "no request to $path" );
		return (string) end( $bodies );
	}

	/**
	 * Paths of requests rewardd got that contain a string.
	 *
	 * @param string $needle Part of the path.
	 * @return string[]
	 */
	private function paths_asked( string $needle ): array {
		return array_values( array_filter( array_column( $this->fake()['requests'], 'path' ), static function ( $path ) use ( $needle ) {
			return false !== strpos( $path, $needle );
		} ) );
	}
}
