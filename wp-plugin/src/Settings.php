<?php
/**
 * The plugin's stored settings: daemon URL, shop id, admin token and the connection record.
 * Secrets are options with autoload off and are never handed back in full for display.
 * Depends on WordPress options only.
 *
 * @package Rewardd
 */

namespace Rewardd;

defined( 'ABSPATH' ) || exit;

/**
 * Reads and writes rewardd's options.
 */
final class Settings {

	const OPTION_URL         = 'rewardd_url';
	const OPTION_SHOP_ID     = 'rewardd_shop_id';
	const OPTION_ADMIN_TOKEN = 'rewardd_admin_token';
	const OPTION_CONNECTION  = 'rewardd_connection';

	/**
	 * Every option this plugin owns, for uninstall and tests.
	 *
	 * @return string[]
	 */
	public static function option_names(): array {
		return array( self::OPTION_URL, self::OPTION_SHOP_ID, self::OPTION_ADMIN_TOKEN, self::OPTION_CONNECTION, DeliveryBacklog::OPTION, DeliveryBacklog::LOCK );
	}

	/**
	 * The daemon's base URL without a trailing slash, or '' when unset.
	 */
	public function url(): string {
		return (string) get_option( self::OPTION_URL, '' );
	}

	/**
	 * The id this shop has in rewardd, or '' when unset.
	 */
	public function shop_id(): string {
		return (string) get_option( self::OPTION_SHOP_ID, '' );
	}

	/**
	 * The admin token used for every call to the daemon, or ''.
	 */
	public function admin_token(): string {
		return (string) get_option( self::OPTION_ADMIN_TOKEN, '' );
	}

	/**
	 * True when URL, shop id and token are all set.
	 */
	public function is_configured(): bool {
		return '' !== $this->url() && '' !== $this->shop_id() && '' !== $this->admin_token();
	}

	/**
	 * Stores the daemon URL after checking it is an http(s) URL without credentials.
	 * A URL other than the stored one forgets the admin token, so the token is never sent
	 * anywhere but to the URL it was saved with: save a new token after the URL.
	 *
	 * @param string $raw_url URL as typed by the admin.
	 * @return bool False when the URL was refused.
	 */
	public function save_url( string $raw_url ): bool {
		$url = self::normalise_url( $raw_url );
		if ( null === $url ) {
			return false;
		}
		if ( $url !== $this->url() ) {
			$this->clear_admin_token();
		}
		$this->save( self::OPTION_URL, $url );
		return true;
	}

	/**
	 * Stores the shop id, reduced to lower-case letters, digits, '-' and '_'.
	 *
	 * @param string $raw_id Id as typed by the admin.
	 * @return bool False when nothing usable was left.
	 */
	public function save_shop_id( string $raw_id ): bool {
		$id = sanitize_key( $raw_id );
		if ( '' === $id ) {
			return false;
		}
		$this->save( self::OPTION_SHOP_ID, $id );
		return true;
	}

	/**
	 * Stores a new admin token. An empty value keeps the existing one.
	 *
	 * @param string $raw_token Token as pasted by the admin.
	 */
	public function save_admin_token( string $raw_token ): void {
		$token = preg_replace( '/[^A-Za-z0-9._~+\/=-]/', '', trim( $raw_token ) );
		if ( '' !== $token ) {
			$this->save( self::OPTION_ADMIN_TOKEN, $token );
		}
	}

	/**
	 * Forgets the admin token.
	 */
	public function clear_admin_token(): void {
		delete_option( self::OPTION_ADMIN_TOKEN );
	}

	/**
	 * The stored token shown safely: only its last four characters.
	 */
	public function masked_admin_token(): string {
		$token = $this->admin_token();
		if ( '' === $token ) {
			return '';
		}
		return str_repeat( '•', 8 ) . substr( $token, -4 );
	}

	/**
	 * What Connect created: key_id, webhook_ids, connected_at. Empty when not connected.
	 *
	 * @return array<string, mixed>
	 */
	public function connection(): array {
		$value = get_option( self::OPTION_CONNECTION, array() );
		return is_array( $value ) ? $value : array();
	}

	/**
	 * Whether a webhook is one Connect made (and Disconnect has not removed).
	 *
	 * @param int $webhook_id Webhook id.
	 */
	public function owns_webhook( int $webhook_id ): bool {
		return in_array( $webhook_id, array_map( 'intval', (array) ( $this->connection()['webhook_ids'] ?? array() ) ), true );
	}

	/**
	 * True when Connect has run and Disconnect has not.
	 */
	public function is_connected(): bool {
		return ! empty( $this->connection() );
	}

	/**
	 * Records what Connect created.
	 *
	 * @param array<string, mixed> $connection Record to keep.
	 */
	public function save_connection( array $connection ): void {
		$this->save( self::OPTION_CONNECTION, $connection );
	}

	/**
	 * Forgets the connection record.
	 */
	public function clear_connection(): void {
		delete_option( self::OPTION_CONNECTION );
	}

	/**
	 * The daemon's host and effective port, or null when no URL is set.
	 *
	 * @return array{host: string, port: int}|null
	 */
	public function daemon_host_port(): ?array {
		$parts = wp_parse_url( $this->url() );
		if ( empty( $parts['host'] ) ) {
			return null;
		}
		$scheme = isset( $parts['scheme'] ) ? strtolower( $parts['scheme'] ) : 'http';
		$port   = isset( $parts['port'] ) ? (int) $parts['port'] : ( 'https' === $scheme ? 443 : 80 );
		return array(
			'host' => strtolower( $parts['host'] ),
			'port' => $port,
		);
	}

	/**
	 * Accepts http(s)://host[:port][/path] without user or password; drops the trailing slash.
	 *
	 * @param string $raw_url URL to check.
	 * @return string|null The URL to store, or null when refused.
	 */
	public static function normalise_url( string $raw_url ): ?string {
		$url   = esc_url_raw( trim( $raw_url ), array( 'http', 'https' ) );
		$parts = wp_parse_url( $url );
		if ( '' === $url || empty( $parts['host'] ) || isset( $parts['user'] ) || isset( $parts['pass'] ) ) {
			return null;
		}
		if ( isset( $parts['query'] ) || isset( $parts['fragment'] ) ) {
			return null;
		}
		return untrailingslashit( $url );
	}

	/**
	 * Writes one option with autoload off, whether it exists yet or not.
	 *
	 * @param string $name  Option name.
	 * @param mixed  $value Value.
	 */
	private function save( string $name, $value ): void {
		if ( false === get_option( $name, false ) ) {
			add_option( $name, $value, '', 'no' );
			return;
		}
		update_option( $name, $value, false );
	}
}
