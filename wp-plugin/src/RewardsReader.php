<?php
/**
 * Cached, time-boxed reads from rewardd for storefront pages: balance, referral code, quotes.
 * A page never waits more than one short timeout: after a failure the daemon is treated as
 * unavailable for a short while and pages render at once with "unavailable".
 * Depends on ApiClient and Settings, passed in, and on WordPress transients.
 *
 * @package Rewardd
 */

namespace Rewardd;

defined( 'ABSPATH' ) || exit;

/**
 * Read side of the daemon for customer pages.
 */
final class RewardsReader {

	const DOWN_TRANSIENT       = 'rewardd_unavailable';
	const DOWN_SECONDS         = 30;
	const QUOTE_SECONDS        = 120;
	const CUSTOMER_SECONDS     = 30;
	const REFERRAL_SECONDS     = DAY_IN_SECONDS;
	const HISTORY_ENTRIES      = 20;
	const TRANSIENT_PREFIX     = 'rewardd_c_';
	const TRANSIENT_PREFIX_Q   = 'rewardd_q_';
	const TRANSIENT_PREFIX_REF = 'rewardd_r_';

	/**
	 * Daemon client.
	 *
	 * @var ApiClient
	 */
	private $api;

	/**
	 * Stored settings (shop id).
	 *
	 * @var Settings
	 */
	private $settings;

	/**
	 * Builds the reader.
	 *
	 * @param ApiClient $api      Daemon client.
	 * @param Settings  $settings Stored settings.
	 */
	public function __construct( ApiClient $api, Settings $settings ) {
		$this->api      = $api;
		$this->settings = $settings;
	}

	/**
	 * The customer's rewards (docs/API.md GET /api/v1/customers/{email}); a customer rewardd
	 * does not know yet reads as an empty account. Null when rewardd is unavailable.
	 *
	 * @param string $email Customer e-mail.
	 * @return array<string, mixed>|null
	 */
	public function customer( string $email ): ?array {
		$key    = self::TRANSIENT_PREFIX . md5( strtolower( trim( $email ) ) );
		$cached = get_transient( $key );
		if ( is_array( $cached ) ) {
			return $cached;
		}
		if ( $this->is_down() ) {
			return null;
		}
		$query  = array(
			'history'  => self::HISTORY_ENTRIES,
			'currency' => self::shop_currency(),
		);
		$result = $this->api->get( ApiClient::customer_path( $email ) . '?' . http_build_query( $query, '', '&', PHP_QUERY_RFC3986 ) );
		if ( 'not_found' === $result->error() ) {
			$data = array(
				'available' => 0,
				'pending'   => 0,
				'history'   => array(),
			);
		} elseif ( $result->ok() ) {
			$data = $result->data();
		} else {
			$this->mark_down();
			return null;
		}
		set_transient( $key, $data, self::CUSTOMER_SECONDS );
		return $data;
	}

	/**
	 * Forgets the cached account, e.g. after a redemption.
	 *
	 * @param string $email Customer e-mail.
	 */
	public function forget_customer( string $email ): void {
		delete_transient( self::TRANSIENT_PREFIX . md5( strtolower( trim( $email ) ) ) );
	}

	/**
	 * The customer's referral code, or null when unavailable.
	 *
	 * @param string $email Customer e-mail.
	 */
	public function referral_code( string $email ): ?string {
		$key    = self::TRANSIENT_PREFIX_REF . md5( strtolower( trim( $email ) ) );
		$cached = get_transient( $key );
		if ( is_string( $cached ) && '' !== $cached ) {
			return $cached;
		}
		if ( $this->is_down() ) {
			return null;
		}
		$result = $this->api->get( ApiClient::customer_path( $email, '/referral' ) . '?shop=' . rawurlencode( $this->settings->shop_id() ) );
		$code   = $result->ok() && isset( $result->data()['code'] ) ? Referral::sanitize_code( (string) $result->data()['code'] ) : '';
		if ( '' === $code ) {
			if ( ! $result->answered() ) {
				$this->mark_down();
			}
			return null;
		}
		set_transient( $key, $code, self::REFERRAL_SECONDS );
		return $code;
	}

	/**
	 * Points a cart or product would earn (POST /api/v1/quote), or null when unavailable.
	 *
	 * @param array<string, mixed> $request Body without "shop"; see QuoteBuilder.
	 */
	public function quote( array $request ): ?int {
		$request = array( 'shop' => $this->settings->shop_id() ) + $request;
		$key     = self::TRANSIENT_PREFIX_Q . md5( (string) wp_json_encode( $request ) );
		$cached  = get_transient( $key );
		if ( is_numeric( $cached ) ) {
			return (int) $cached;
		}
		if ( $this->is_down() ) {
			return null;
		}
		$result = $this->api->post( '/api/v1/quote', $request );
		if ( ! $result->ok() || ! isset( $result->data()['points'] ) ) {
			if ( ! $result->answered() || $result->status() >= 500 ) {
				$this->mark_down();
			}
			return null;
		}
		$points = max( 0, (int) $result->data()['points'] );
		set_transient( $key, (string) $points, self::QUOTE_SECONDS );
		return $points;
	}

	/**
	 * The shop's currency, so rewardd prices the points in it (docs/API.md ?currency=).
	 */
	private static function shop_currency(): string {
		$currency = function_exists( 'get_woocommerce_currency' ) ? get_woocommerce_currency() : get_option( 'woocommerce_currency', '' );
		return strtoupper( (string) $currency );
	}

	/**
	 * True while a recent failure says not to try again yet.
	 */
	public function is_down(): bool {
		return false !== get_transient( self::DOWN_TRANSIENT );
	}

	/**
	 * Remembers that the daemon failed, so the next pages do not wait for it.
	 */
	private function mark_down(): void {
		set_transient( self::DOWN_TRANSIENT, '1', self::DOWN_SECONDS );
	}
}
