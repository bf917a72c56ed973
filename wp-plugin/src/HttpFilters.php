<?php
/**
 * Lets WordPress's "safe" HTTP functions (used by WooCommerce webhook delivery and by this
 * plugin) reach the configured rewardd host:port, and nothing else (INTEGRATION.md W1.6).
 * Depends on Settings only.
 *
 * @package Rewardd
 */

namespace Rewardd;

defined( 'ABSPATH' ) || exit;

/**
 * The http_request_host_is_external and http_allowed_safe_ports filters.
 */
final class HttpFilters {

	/**
	 * Where the daemon's URL comes from.
	 *
	 * @var Settings
	 */
	private $settings;

	/**
	 * Builds the filters.
	 *
	 * @param Settings $settings Stored settings.
	 */
	public function __construct( Settings $settings ) {
		$this->settings = $settings;
	}

	/**
	 * Hooks both filters.
	 */
	public function register(): void {
		add_filter( 'http_request_host_is_external', array( $this, 'allow_daemon_host' ), 10, 3 );
		add_filter( 'http_allowed_safe_ports', array( $this, 'allow_daemon_port' ), 10, 3 );
	}

	/**
	 * Marks the daemon's host as allowed, but only for a URL on the daemon's port.
	 *
	 * @param bool   $is_external What earlier filters decided.
	 * @param string $host        Host of the requested URL.
	 * @param string $url         The requested URL.
	 * @return bool
	 */
	public function allow_daemon_host( $is_external, $host, $url ) {
		if ( $this->is_daemon_url( (string) $url ) ) {
			return true;
		}
		return $is_external;
	}

	/**
	 * Adds the daemon's port to the safe ports, but only for a URL on the daemon's host.
	 *
	 * @param int[]  $ports Ports allowed so far.
	 * @param string $host  Host of the requested URL.
	 * @param string $url   The requested URL.
	 * @return int[]
	 */
	public function allow_daemon_port( $ports, $host, $url ) {
		if ( ! is_array( $ports ) || ! $this->is_daemon_url( (string) $url ) ) {
			return $ports;
		}
		$daemon = $this->settings->daemon_host_port();
		if ( null !== $daemon && ! in_array( $daemon['port'], $ports, true ) ) {
			$ports[] = $daemon['port'];
		}
		return $ports;
	}

	/**
	 * True when the URL's scheme-effective host and port are exactly the daemon's.
	 *
	 * @param string $url URL being requested.
	 */
	private function is_daemon_url( string $url ): bool {
		$daemon = $this->settings->daemon_host_port();
		$parts  = wp_parse_url( $url );
		if ( null === $daemon || empty( $parts['host'] ) ) {
			return false;
		}
		$scheme = isset( $parts['scheme'] ) ? strtolower( $parts['scheme'] ) : 'http';
		$port   = isset( $parts['port'] ) ? (int) $parts['port'] : ( 'https' === $scheme ? 443 : 80 );
		return strtolower( $parts['host'] ) === $daemon['host'] && $port === $daemon['port'];
	}
}
