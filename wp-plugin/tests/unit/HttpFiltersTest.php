<?php
/**
 * The http_request_host_is_external / http_allowed_safe_ports filters let exactly the
 * configured rewardd host:port through wp_http_validate_url (INTEGRATION.md W1.6).
 *
 * @package Rewardd\Tests
 */

namespace Rewardd\Tests;

/**
 * Safe-HTTP filters.
 */
final class HttpFiltersTest extends TestCase {

	public function test_what_happens_when_no_rewardd_url_is_configured(): void {
		$this->assertFalse( wp_http_validate_url( REWARDD_TEST_FAKE_URL . '/webhooks/woocommerce/x' ), 'loopback on a high port stays blocked' );
	}

	public function test_what_happens_when_the_configured_host_and_port_are_requested(): void {
		$this->configure();
		$url = REWARDD_TEST_FAKE_URL . '/webhooks/woocommerce/' . self::SHOP_ID;
		$this->assertSame( $url, wp_http_validate_url( $url ) );
		$response = wp_safe_remote_get( REWARDD_TEST_FAKE_URL . '/healthz' );
		$this->assertFalse( is_wp_error( $response ), is_wp_error( $response ) ? $response->get_error_message() : '' );
		$this->assertSame( 200, wp_remote_retrieve_response_code( $response ) );
	}

	public function test_what_happens_when_anything_else_is_requested(): void {
		$this->configure();
		$port  = (int) wp_parse_url( REWARDD_TEST_FAKE_URL, PHP_URL_PORT );
		$other = PhpServer::free_port();
		foreach ( array(
			"http://127.0.0.1:$other/"        => 'same host, another port',
			'http://127.0.0.1/'               => 'same host, port 80',
			"http://127.0.0.2:$port/"         => 'another loopback address, same port',
			"http://10.0.0.5:$port/"          => 'a private address, same port',
			"http://192.168.1.20:$port/"      => 'a LAN address, same port',
			"http://203.0.113.10:$port/"      => 'a public address, same port',
		) as $url => $why ) {
			$this->assertFalse( wp_http_validate_url( $url ), $why );
		}
		$this->assertSame( array( 80, 443, 8080 ), apply_filters( 'http_allowed_safe_ports', array( 80, 443, 8080 ), 'example.org', 'http://example.org:9000/' ), 'other hosts get the default ports' );
		$this->assertFalse( apply_filters( 'http_request_host_is_external', false, '10.0.0.5', "http://10.0.0.5:$port/" ) );
		$this->assertSame( 'http://203.0.113.10/', wp_http_validate_url( 'http://203.0.113.10/' ), 'ordinary public URLs are untouched' );
	}

	public function test_what_happens_when_rewardd_is_behind_https_on_the_default_port(): void {
		$this->configure( 'https://rewardd.lan' );
		$this->assertTrue( apply_filters( 'http_request_host_is_external', false, 'rewardd.lan', 'https://rewardd.lan/webhooks/woocommerce/x' ) );
		$this->assertTrue( apply_filters( 'http_request_host_is_external', false, 'rewardd.lan', 'https://rewardd.lan:443/x' ) );
		$this->assertFalse( apply_filters( 'http_request_host_is_external', false, 'rewardd.lan', 'http://rewardd.lan/x' ), 'port 80 is not the configured port' );
		$this->assertFalse( apply_filters( 'http_request_host_is_external', false, 'other.lan', 'https://other.lan/x' ) );
	}
}
