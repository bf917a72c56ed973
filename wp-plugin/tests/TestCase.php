<?php
/**
 * Base class for the plugin's tests: a clean slate per test (rewardd options, transients,
 * the fake rewardd's state, WooCommerce's webhook and key tables, scheduled actions, cart,
 * user, request superglobals), and helpers to act as a user, submit admin forms and read the fake.
 * wp_redirect and wp_die throw instead of ending the process, so handlers can be tested.
 *
 * @package Rewardd\Tests
 */

namespace Rewardd\Tests;

use Rewardd\Settings;

/**
 * Thrown instead of redirecting.
 */
final class Redirect extends \RuntimeException {
}

/**
 * Thrown instead of wp_die().
 */
final class Died extends \RuntimeException {

	/**
	 * HTTP status wp_die() was given.
	 *
	 * @var int
	 */
	public $status;

	/**
	 * Records message and status.
	 *
	 * @param string $message Message.
	 * @param int    $status  Status.
	 */
	public function __construct( string $message, int $status ) {
		parent::__construct( $message );
		$this->status = $status;
	}
}

/**
 * Shared set-up and helpers.
 */
abstract class TestCase extends \PHPUnit\Framework\TestCase {

	const SHOP_ID = 'test-shop';

	/**
	 * Resets everything a test may have touched.
	 */
	protected function setUp(): void {
		global $wpdb;
		parent::setUp();
		foreach ( Settings::option_names() as $option ) {
			delete_option( $option );
		}
		$wpdb->query( "DELETE FROM {$wpdb->options} WHERE option_name LIKE '\\_transient%rewardd\\_%'" );
		wp_cache_flush();
		$wpdb->query( "DELETE FROM {$wpdb->prefix}wc_webhooks" );
		$wpdb->query( "DELETE FROM {$wpdb->prefix}woocommerce_api_keys" );
		$wpdb->query( "DELETE FROM {$wpdb->posts} WHERE post_type = 'shop_coupon'" );
		delete_option( 'wc_stub_action_scheduler' );
		wp_clear_scheduled_hook( \Rewardd\WebhookRecovery::JOB );
		( new \FakeState( REWARDD_TEST_FAKE_STATE ) )->update(
			static function () {
				return \FakeState::initial();
			}
		);
		WC()->cart->empty_cart();
		wp_set_current_user( 0 );
		$_GET     = array();
		$_POST    = array();
		$_REQUEST = array();
		$_COOKIE  = array();
		add_filter( 'wp_redirect', array( self::class, 'throw_redirect' ), 1 );
		add_filter( 'wp_die_handler', array( self::class, 'die_handler' ) );
	}

	/**
	 * Removes the test filters.
	 */
	protected function tearDown(): void {
		remove_filter( 'wp_redirect', array( self::class, 'throw_redirect' ), 1 );
		remove_filter( 'wp_die_handler', array( self::class, 'die_handler' ) );
		wp_set_current_user( 0 );
		parent::tearDown();
	}

	/**
	 * Filter: redirects become exceptions carrying the location.
	 *
	 * @param string $location Location.
	 * @throws Redirect Always.
	 */
	public static function throw_redirect( $location ) {
		throw new Redirect( (string) $location );
	}

	/**
	 * Filter: wp_die() becomes an exception.
	 *
	 * @return callable
	 */
	public static function die_handler() {
		return static function ( $message, $title = '', $args = array() ) {
			$status = is_array( $args ) && isset( $args['response'] ) ? (int) $args['response'] : 500;
			throw new Died( is_string( $message ) ? $message : wp_strip_all_tags( (string) ( is_wp_error( $message ) ? $message->get_error_message() : '' ) ), $status );
		};
	}

	/**
	 * The plugin's wired service.
	 *
	 * @param string $name Service name (see Plugin::boot).
	 * @return object
	 */
	protected function service( string $name ) {
		$service = $GLOBALS['rewardd']->service( $name );
		$this->assertNotNull( $service, "service $name" );
		return $service;
	}

	/**
	 * Saves URL, shop id and token as an admin would.
	 *
	 * @param string $url   Daemon URL (the fake by default).
	 * @param string $token Admin token (the fake's by default).
	 */
	protected function configure( string $url = REWARDD_TEST_FAKE_URL, string $token = REWARDD_TEST_ADMIN_TOKEN ): void {
		$settings = new Settings();
		$this->assertTrue( $settings->save_url( $url ) );
		$this->assertTrue( $settings->save_shop_id( self::SHOP_ID ) );
		$settings->save_admin_token( $token );
	}

	/**
	 * Registers the shop in the fake without going through Connect.
	 */
	protected function register_shop_in_fake(): void {
		$this->fake_update(
			static function ( array $s ) {
				$s['shops'][ self::SHOP_ID ] = array(
					'id'       => self::SHOP_ID,
					'platform' => 'woocommerce',
					'secret'   => str_repeat( 'a', 40 ),
				);
				return $s;
			}
		);
	}

	/**
	 * The fake rewardd's state.
	 *
	 * @return array<string, mixed>
	 */
	protected function fake(): array {
		return ( new \FakeState( REWARDD_TEST_FAKE_STATE ) )->read();
	}

	/**
	 * Changes the fake rewardd's state.
	 *
	 * @param callable $change fn(array): array.
	 */
	protected function fake_update( callable $change ): void {
		( new \FakeState( REWARDD_TEST_FAKE_STATE ) )->update( $change );
	}

	/**
	 * A user with a role, created once.
	 *
	 * @param string $login Login.
	 * @param string $role  Role.
	 * @param string $email E-mail.
	 */
	protected function user( string $login, string $role, string $email = '' ): \WP_User {
		$user = get_user_by( 'login', $login );
		if ( ! $user ) {
			$id = wp_insert_user(
				array(
					'user_login' => $login,
					'user_pass'  => wp_generate_password(),
					'user_email' => '' !== $email ? $email : $login . '@example.test',
					'role'       => $role,
				)
			);
			$this->assertIsInt( $id );
			$user = get_user_by( 'id', $id );
		}
		return $user;
	}

	/**
	 * A customer who has confirmed their e-mail address (EmailVerification), as the tests of
	 * what a customer sees and redeems need.
	 *
	 * @param string $login Login.
	 * @param string $email E-mail.
	 */
	protected function customer( string $login, string $email ): \WP_User {
		$user = $this->user( $login, 'customer', $email );
		update_user_meta( $user->ID, 'rewardd_verified_email', strtolower( trim( $user->user_email ) ) );
		return $user;
	}

	/**
	 * Logs in as the site administrator.
	 */
	protected function as_admin(): \WP_User {
		wp_set_current_user( 1 );
		return wp_get_current_user();
	}

	/**
	 * Posts an admin-post.php form and returns where it redirected.
	 *
	 * @param string               $action      admin-post action.
	 * @param array<string, mixed> $fields      Form fields.
	 * @param bool                 $valid_nonce Send a valid nonce or a wrong one.
	 * @return string Redirect location.
	 */
	protected function admin_post( string $action, array $fields = array(), bool $valid_nonce = true ): string {
		$_POST             = $fields + array(
			'action'   => $action,
			'_wpnonce' => $valid_nonce ? wp_create_nonce( $action ) : 'not-a-nonce',
		);
		$_REQUEST          = $_POST;
		$_SERVER['REQUEST_METHOD'] = 'POST';
		try {
			do_action( 'admin_post_' . $action );
		} catch ( Redirect $redirect ) {
			return $redirect->getMessage();
		} finally {
			$_SERVER['REQUEST_METHOD'] = 'GET';
		}
		$this->fail( "admin_post_$action did not redirect" );
	}

	/**
	 * Output of a callable.
	 *
	 * @param callable $print Prints HTML.
	 */
	protected function capture( callable $print ): string {
		ob_start();
		try {
			$print();
		} finally {
			$html = (string) ob_get_clean();
		}
		return $html;
	}

	/**
	 * Text content of HTML with collapsed white space, block elements set apart, for sentence checks.
	 *
	 * @param string $html HTML.
	 */
	protected static function text( string $html ): string {
		$html = (string) preg_replace( '#(</?(?:p|div|h\d|section|li|tr|td|th|table|form|nav|ul)\b[^>]*>)#i', ' $1 ', $html );
		$text = html_entity_decode( wp_strip_all_tags( $html ), ENT_QUOTES, 'UTF-8' );
		return trim( (string) preg_replace( '/\s+/u', ' ', str_replace( "\xc2\xa0", ' ', $text ) ) );
	}

	/**
	 * Parses HTML into a DOMXPath.
	 *
	 * @param string $html HTML fragment.
	 */
	protected static function dom( string $html ): \DOMXPath {
		$doc = new \DOMDocument();
		libxml_use_internal_errors( true );
		$doc->loadHTML( '<?xml encoding="utf-8"?><div id="root">' . $html . '</div>' );
		libxml_clear_errors();
		return new \DOMXPath( $doc );
	}

	/**
	 * A TCP port on 127.0.0.1 nobody listens on: rewardd "down".
	 */
	protected static function closed_port_url(): string {
		return 'http://127.0.0.1:' . PhpServer::free_port();
	}
}
