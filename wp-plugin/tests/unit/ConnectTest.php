<?php
/**
 * The settings page: saving, Connect, Disconnect and the status box, against the fake
 * rewardd (docs/API.md) and WooCommerce's key and webhook tables.
 *
 * @package Rewardd\Tests
 */

namespace Rewardd\Tests;

/**
 * Admin side.
 */
final class ConnectTest extends TestCase {

	public function test_what_happens_when_an_admin_saves_the_settings(): void {
		global $wpdb;
		$this->as_admin();
		$location = $this->admin_post(
			'rewardd_save_settings',
			array(
				'rewardd_url'         => REWARDD_TEST_FAKE_URL . '/',
				'rewardd_shop_id'     => 'My Shop_1',
				'rewardd_admin_token' => 'tok_secret_value_1234',
			)
		);
		$this->assertSame( admin_url( 'admin.php?page=rewardd' ), $location );
		$this->assertSame( REWARDD_TEST_FAKE_URL, get_option( 'rewardd_url' ), 'trailing slash dropped' );
		$this->assertSame( 'myshop_1', get_option( 'rewardd_shop_id' ) );
		$this->assertSame( 'tok_secret_value_1234', get_option( 'rewardd_admin_token' ) );
		$autoload = $wpdb->get_col( "SELECT autoload FROM {$wpdb->options} WHERE option_name IN ('rewardd_url','rewardd_shop_id','rewardd_admin_token')" );
		$this->assertSame( array( 'no', 'no', 'no' ), $autoload, 'autoload off' );

		$this->admin_post( 'rewardd_save_settings', array( 'rewardd_url' => REWARDD_TEST_FAKE_URL, 'rewardd_shop_id' => 'myshop_1', 'rewardd_admin_token' => '' ) );
		$this->assertSame( 'tok_secret_value_1234', get_option( 'rewardd_admin_token' ), 'an empty field keeps the token' );

		$html = $this->capture( array( $this->service( 'admin_page' ), 'render' ) );
		$this->assertStringNotContainsString( 'tok_secret_value_1234', $html, 'the token is never printed back' );
		$this->assertStringContainsString( '1234', $html, 'only its last characters are' );
		$this->assertStringContainsString( 'Settings saved.', self::text( $html ) );
	}

	public function test_what_happens_when_an_admin_saves_a_url_with_credentials(): void {
		$this->as_admin();
		$this->admin_post( 'rewardd_save_settings', array( 'rewardd_url' => 'http://user:pw@127.0.0.1:9/', 'rewardd_shop_id' => 'shop' ) );
		$this->assertFalse( get_option( 'rewardd_url' ) );
		$html = $this->capture( array( $this->service( 'admin_page' ), 'render' ) );
		$this->assertStringContainsString( 'without user name or password', self::text( $html ) );
	}

	public function test_what_happens_when_the_rewardd_url_changes_without_a_new_token(): void {
		$other_url = str_replace( '127.0.0.1', 'localhost', REWARDD_TEST_FAKE_URL );
		$this->assertNotSame( REWARDD_TEST_FAKE_URL, $other_url );
		$this->configure();
		$this->as_admin();
		$this->admin_post( 'rewardd_connect' );
		$this->admin_post( 'rewardd_disconnect' );

		$this->admin_post( 'rewardd_save_settings', array( 'rewardd_url' => REWARDD_TEST_FAKE_URL . '/', 'rewardd_shop_id' => self::SHOP_ID, 'rewardd_admin_token' => '' ) );
		$this->assertSame( REWARDD_TEST_ADMIN_TOKEN, get_option( 'rewardd_admin_token' ), 'the same URL, normalised, keeps the token' );

		$this->admin_post( 'rewardd_save_settings', array( 'rewardd_url' => $other_url, 'rewardd_shop_id' => self::SHOP_ID, 'rewardd_admin_token' => '' ) );
		$this->assertSame( $other_url, get_option( 'rewardd_url' ) );
		$this->fake_update(
			static function ( array $s ) {
				$s['requests'] = array();
				return $s;
			}
		);
		$html = $this->capture( array( $this->service( 'admin_page' ), 'render' ) );
		foreach ( $this->fake()['requests'] as $request ) {
			$this->assertStringNotContainsString( REWARDD_TEST_ADMIN_TOKEN, $request['auth'], 'the old token never goes to the new URL' );
		}
		$this->assertSame( array(), $this->fake()['requests'], 'the status box calls nobody without a token' );
		$this->assertFalse( get_option( 'rewardd_admin_token' ), 'a new URL drops the old token' );
		$this->assertStringContainsString( 'the saved admin token was removed', self::text( $html ) );
		$this->assertStringContainsString( 'rewardd not configured', self::text( $html ), 'the status box says so' );
		$this->assertSame( 1, self::dom( $html )->query( '//input[@type="submit"][@value="Connect"][@disabled]' )->length, 'Connect waits for a new token' );
	}

	public function test_what_happens_when_the_rewardd_url_changes_with_a_new_token(): void {
		$other_url = str_replace( '127.0.0.1', 'localhost', REWARDD_TEST_FAKE_URL );
		$this->configure( REWARDD_TEST_FAKE_URL, 'old-token-for-the-old-url' );
		$this->as_admin();
		$this->admin_post( 'rewardd_save_settings', array( 'rewardd_url' => $other_url, 'rewardd_shop_id' => self::SHOP_ID, 'rewardd_admin_token' => REWARDD_TEST_ADMIN_TOKEN ) );
		$this->assertSame( REWARDD_TEST_ADMIN_TOKEN, get_option( 'rewardd_admin_token' ), 'the token pasted with the URL is kept' );

		$html     = $this->capture( array( $this->service( 'admin_page' ), 'render' ) );
		$requests = $this->fake()['requests'];
		$this->assertSame( array( 'Bearer ' . REWARDD_TEST_ADMIN_TOKEN ), array_values( array_unique( array_column( $requests, 'auth' ) ) ), 'only the new token is sent' );
		$this->assertStringContainsString( 'Settings saved.', self::text( $html ) );
		$this->assertStringNotContainsString( 'the saved admin token was removed', self::text( $html ) );
		$this->assertStringContainsString( 'answers (version 0.0.0-fake)', self::text( $html ) );
	}

	public function test_what_happens_when_an_admin_connects(): void {
		global $wpdb;
		$this->configure();
		$admin = $this->as_admin();
		$this->admin_post( 'rewardd_connect' );

		$fake = $this->fake();
		$this->assertArrayHasKey( self::SHOP_ID, $fake['shops'], 'the shop is registered with rewardd' );
		$shop = $fake['shops'][ self::SHOP_ID ];
		$this->assertSame( 'woocommerce', $shop['platform'] );
		$this->assertSame( home_url(), $shop['url'] );
		$this->assertMatchesRegularExpression( '/^[A-Za-z0-9]{32,}$/', $shop['secret'] );
		$register = array_values( array_filter( $fake['requests'], static function ( $r ) { return '/api/v1/shops' === $r['path']; } ) );
		$this->assertSame( 'Bearer ' . REWARDD_TEST_ADMIN_TOKEN, $register[0]['auth'] );

		$keys = $wpdb->get_results( "SELECT * FROM {$wpdb->prefix}woocommerce_api_keys", ARRAY_A );
		$this->assertCount( 1, $keys, 'one REST API key' );
		$this->assertSame( 'read_write', $keys[0]['permissions'] );
		$this->assertSame( (string) $admin->ID, $keys[0]['user_id'] );
		$this->assertSame( wc_api_hash( $shop['consumer_key'] ), $keys[0]['consumer_key'], 'stored as wc_api_hash(ck)' );
		$this->assertSame( $shop['consumer_secret'], $keys[0]['consumer_secret'], 'secret stored plain' );
		$this->assertSame( substr( $shop['consumer_key'], -7 ), $keys[0]['truncated_key'] );
		$this->assertMatchesRegularExpression( '/^ck_[0-9a-f]{40}$/', $shop['consumer_key'] );

		$hooks = $wpdb->get_results( "SELECT * FROM {$wpdb->prefix}wc_webhooks ORDER BY webhook_id", ARRAY_A );
		$this->assertSame( array( 'order.created', 'order.updated', 'customer.created' ), array_column( $hooks, 'topic' ) );
		foreach ( $hooks as $hook ) {
			$this->assertSame( REWARDD_TEST_FAKE_URL . '/webhooks/woocommerce/' . self::SHOP_ID, $hook['delivery_url'] );
			$this->assertSame( $shop['secret'], $hook['secret'], 'signed with the secret rewardd got' );
			$this->assertSame( 'active', $hook['status'] );
			$this->assertSame( '3', $hook['api_version'], 'wp_api_v3' );
			$this->assertSame( (string) $admin->ID, $hook['user_id'] );
			$this->assertSame( '0', $hook['pending_delivery'], 'the ping got through WordPress\'s safe HTTP checks' );
		}
		$this->assertCount( 3, $fake['pings'] );

		$connection = get_option( 'rewardd_connection' );
		$this->assertSame( (int) $keys[0]['key_id'], $connection['key_id'] );
		$this->assertSame( array_map( 'intval', array_column( $hooks, 'webhook_id' ) ), $connection['webhook_ids'] );
		$this->assertArrayNotHasKey( 'consumer_secret', $connection, 'the plugin keeps no copy of the secret' );
		$html = $this->capture( array( $this->service( 'admin_page' ), 'render' ) );
		$this->assertStringContainsString( 'Connected: rewardd now receives', self::text( $html ) );
		$this->assertStringContainsString( 'Disconnect', $html );
		$this->assertStringNotContainsString( $shop['consumer_secret'], $html );
		$this->assertStringNotContainsString( $shop['secret'], $html );
	}

	public function test_what_happens_when_an_admin_disconnects(): void {
		global $wpdb;
		$this->configure();
		$this->as_admin();
		$this->admin_post( 'rewardd_connect' );
		$this->admin_post( 'rewardd_disconnect' );

		$this->assertSame( '0', $wpdb->get_var( "SELECT COUNT(*) FROM {$wpdb->prefix}wc_webhooks" ), 'webhooks deleted' );
		$this->assertSame( '0', $wpdb->get_var( "SELECT COUNT(*) FROM {$wpdb->prefix}woocommerce_api_keys" ), 'key revoked' );
		$this->assertFalse( get_option( 'rewardd_connection' ) );
		$fake = $this->fake();
		$this->assertArrayNotHasKey( self::SHOP_ID, $fake['shops'], 'shop removed from rewardd' );
		$last = end( $fake['requests'] );
		$this->assertSame( 'DELETE', $last['method'] );
		$this->assertSame( '/api/v1/shops/' . self::SHOP_ID, $last['path'] );
		$html = $this->capture( array( $this->service( 'admin_page' ), 'render' ) );
		$this->assertStringContainsString( 'Disconnected', self::text( $html ) );
		$this->assertStringContainsString( 'value="rewardd_connect"', $html, 'Connect is offered again' );
	}

	public function test_what_happens_when_rewardd_refuses_the_admin_token(): void {
		global $wpdb;
		$this->configure( REWARDD_TEST_FAKE_URL, 'wrong-token' );
		$this->as_admin();
		$this->admin_post( 'rewardd_connect' );
		$this->assertSame( '0', $wpdb->get_var( "SELECT COUNT(*) FROM {$wpdb->prefix}woocommerce_api_keys" ), 'the new key is revoked again' );
		$this->assertSame( '0', $wpdb->get_var( "SELECT COUNT(*) FROM {$wpdb->prefix}wc_webhooks" ) );
		$this->assertFalse( get_option( 'rewardd_connection' ) );
		$html = $this->capture( array( $this->service( 'admin_page' ), 'render' ) );
		$this->assertStringContainsString( 'rewardd refused the admin token', self::text( $html ) );
	}

	public function test_what_happens_when_rewardd_is_down_during_connect(): void {
		global $wpdb;
		$this->configure( self::closed_port_url() );
		$this->as_admin();
		$this->admin_post( 'rewardd_connect' );
		$this->assertSame( '0', $wpdb->get_var( "SELECT COUNT(*) FROM {$wpdb->prefix}woocommerce_api_keys" ) );
		$this->assertSame( '0', $wpdb->get_var( "SELECT COUNT(*) FROM {$wpdb->prefix}wc_webhooks" ) );
		$html = $this->capture( array( $this->service( 'admin_page' ), 'render' ) );
		$this->assertStringContainsString( 'rewardd could not be reached', self::text( $html ) );
		$this->assertStringContainsString( 'does not answer', self::text( $html ), 'the status box says so too' );
	}

	public function test_what_happens_when_rewardd_is_down_during_disconnect(): void {
		global $wpdb;
		$this->configure();
		$this->as_admin();
		$this->admin_post( 'rewardd_connect' );
		update_option( 'rewardd_url', self::closed_port_url() );
		$this->admin_post( 'rewardd_disconnect' );
		$this->assertSame( '0', $wpdb->get_var( "SELECT COUNT(*) FROM {$wpdb->prefix}wc_webhooks" ), 'local clean-up still happens' );
		$this->assertSame( '0', $wpdb->get_var( "SELECT COUNT(*) FROM {$wpdb->prefix}woocommerce_api_keys" ) );
		$html = $this->capture( array( $this->service( 'admin_page' ), 'render' ) );
		$this->assertStringContainsString( 'rewardd could not be told', self::text( $html ) );
	}

	public function test_what_happens_when_the_status_box_is_shown(): void {
		$this->configure();
		$this->as_admin();
		$this->admin_post( 'rewardd_connect' );
		$this->fake_update(
			static function ( array $s ) {
				$s['outbox_backlog']                       = 7;
				$s['last_webhook_at'][ self::SHOP_ID ] = '2026-11-22T10:00:00Z';
				return $s;
			}
		);
		$xpath = self::dom( $this->capture( array( $this->service( 'admin_page' ), 'render' ) ) );
		$rows  = array();
		foreach ( $xpath->query( '//table[contains(@class,"rewardd-status")]//tr' ) as $tr ) {
			$rows[ trim( $tr->getElementsByTagName( 'th' )->item( 0 )->textContent ) ] = trim( $tr->getElementsByTagName( 'td' )->item( 0 )->textContent );
		}
		$this->assertSame( 'answers (version 0.0.0-fake)', $rows['rewardd'] );
		$this->assertStringStartsWith( wp_date( get_option( 'date_format' ) . ' ' . get_option( 'time_format' ), strtotime( '2026-11-22T10:00:00Z' ) ) . ' (', $rows['Last webhook delivered'] );
		$this->assertStringEndsWith( ' ago)', $rows['Last webhook delivered'] );
		$this->assertSame( '7', $rows['Outbox backlog'] );
		$this->assertSame( 3, $xpath->query( '//ul[@class="rewardd-webhooks"]/li' )->length, 'the three webhooks are listed' );
	}
}
