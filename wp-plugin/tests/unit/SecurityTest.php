<?php
/**
 * Every admin action checks manage_options and its nonce, so a Shop Manager
 * (manage_woocommerce only) is refused like a customer; the customer's Redeem form checks
 * login and nonce. Refusals change nothing and call nobody.
 *
 * @package Rewardd\Tests
 */

namespace Rewardd\Tests;

/**
 * Capability and nonce refusals.
 */
final class SecurityTest extends TestCase {

	/**
	 * The three admin-post actions.
	 *
	 * @return array<string, array{string}>
	 */
	public function admin_actions(): array {
		return array(
			'save settings' => array( 'rewardd_save_settings' ),
			'connect'       => array( 'rewardd_connect' ),
			'disconnect'    => array( 'rewardd_disconnect' ),
		);
	}

	/**
	 * @dataProvider admin_actions
	 * @param string $action admin-post action.
	 */
	public function test_what_happens_when_a_customer_posts_an_admin_action( string $action ): void {
		$this->configure();
		wp_set_current_user( $this->user( 'kari', 'customer', 'kari@example.test' )->ID );
		$this->assert_refused( $action, true, 403 );
	}

	/**
	 * @dataProvider admin_actions
	 * @param string $action admin-post action.
	 */
	public function test_what_happens_when_an_admin_action_has_a_wrong_nonce( string $action ): void {
		$this->configure();
		$this->as_admin();
		$this->assert_refused( $action, false, 403 );
	}

	/**
	 * @dataProvider admin_actions
	 * @param string $action admin-post action.
	 */
	public function test_what_happens_when_a_shop_manager_posts_an_admin_action( string $action ): void {
		$this->configure();
		wp_set_current_user( $this->user( 'manager', 'shop_manager' )->ID );
		$this->assertTrue( current_user_can( 'manage_woocommerce' ), 'a Shop Manager manages WooCommerce' );
		$this->assert_refused( $action, true, 403 );
		$this->assertSame( REWARDD_TEST_ADMIN_TOKEN, get_option( 'rewardd_admin_token' ), 'the token is untouched' );
		$this->assertFalse( get_option( 'rewardd_connection' ), 'manage_woocommerce is not enough' );
	}

	public function test_what_happens_when_a_customer_opens_the_settings_page(): void {
		wp_set_current_user( $this->user( 'kari', 'customer', 'kari@example.test' )->ID );
		$this->expectException( Died::class );
		$this->service( 'admin_page' )->render();
	}

	public function test_what_happens_when_a_shop_manager_opens_the_settings_page(): void {
		$this->configure();
		wp_set_current_user( $this->user( 'manager', 'shop_manager' )->ID );
		try {
			$this->capture( array( $this->service( 'admin_page' ), 'render' ) );
			$this->fail( 'not refused' );
		} catch ( Died $died ) {
			$this->assertSame( 403, $died->status );
		}
		$this->assertSame( array(), $this->fake()['requests'], 'rewardd was not called' );
	}

	public function test_what_happens_when_the_menu_entry_is_added(): void {
		global $submenu, $_wp_submenu_nopriv;
		$saved = array( $submenu, $_wp_submenu_nopriv );
		try {
			$submenu            = array();
			$_wp_submenu_nopriv = array();
			wp_set_current_user( $this->user( 'manager', 'shop_manager' )->ID );
			$this->service( 'admin_page' )->add_menu();
			$this->assertArrayNotHasKey( 'woocommerce', $submenu, 'no menu entry for a Shop Manager' );
			$this->assertTrue( $_wp_submenu_nopriv['woocommerce']['rewardd'] ?? false );

			$this->as_admin();
			$this->service( 'admin_page' )->add_menu();
			$entries = array_column( $submenu['woocommerce'] ?? array(), 1, 2 );
			$this->assertSame( 'manage_options', $entries['rewardd'] ?? null, 'the entry asks for manage_options' );
		} finally {
			list( $submenu, $_wp_submenu_nopriv ) = $saved;
		}
	}

	public function test_what_happens_when_a_visitor_posts_the_redeem_form(): void {
		$this->configure();
		$this->register_shop_in_fake();
		$_POST = array( 'rewardd_action' => 'redeem', 'rewardd_points' => '600', '_wpnonce' => wp_create_nonce( 'rewardd_redeem' ) );
		try {
			$this->service( 'redemption' )->handle_form();
			$this->fail( 'not refused' );
		} catch ( Died $died ) {
			$this->assertSame( 403, $died->status );
		}
		$this->assertSame( array(), $this->fake()['requests'], 'rewardd was not called' );
	}

	public function test_what_happens_when_the_redeem_form_has_a_wrong_nonce(): void {
		$this->configure();
		$this->register_shop_in_fake();
		wp_set_current_user( $this->user( 'kari', 'customer', 'kari@example.test' )->ID );
		$_POST = array( 'rewardd_action' => 'redeem', 'rewardd_points' => '600', '_wpnonce' => 'forged' );
		try {
			$this->service( 'redemption' )->handle_form();
			$this->fail( 'not refused' );
		} catch ( Died $died ) {
			$this->assertSame( 403, $died->status );
		}
		$this->assertSame( array(), $this->fake()['requests'], 'rewardd was not called' );
	}

	/**
	 * Posts and expects wp_die with a status, and no effect anywhere.
	 *
	 * @param string $action      Action.
	 * @param bool   $valid_nonce Nonce validity.
	 * @param int    $status      Expected status.
	 */
	private function assert_refused( string $action, bool $valid_nonce, int $status ): void {
		global $wpdb;
		$before = get_option( 'rewardd_url' );
		try {
			$this->admin_post( $action, array( 'rewardd_url' => 'http://evil.example:1/', 'rewardd_shop_id' => 'x' ), $valid_nonce );
			$this->fail( "$action was not refused" );
		} catch ( Died $died ) {
			$this->assertSame( $status, $died->status );
		}
		$this->assertSame( $before, get_option( 'rewardd_url' ), 'settings unchanged' );
		$this->assertSame( '0', $wpdb->get_var( "SELECT COUNT(*) FROM {$wpdb->prefix}woocommerce_api_keys" ) );
		$this->assertSame( '0', $wpdb->get_var( "SELECT COUNT(*) FROM {$wpdb->prefix}wc_webhooks" ) );
		$this->assertSame( array(), $this->fake()['requests'], 'rewardd was not called' );
	}
}
