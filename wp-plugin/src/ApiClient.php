<?php
/**
 * Talks to the rewardd daemon's /api/v1 over HTTP (docs/API.md), with a bearer token.
 * Goes through wp_safe_remote_request, so only the configured host:port is reachable
 * (see HttpFilters). Depends on Settings and the WordPress HTTP API only.
 *
 * @package Rewardd
 */

namespace Rewardd;

defined( 'ABSPATH' ) || exit;

/**
 * Thin JSON client for the daemon.
 */
final class ApiClient {

	/**
	 * Default timeout for reads made while a page renders, in seconds.
	 */
	const READ_TIMEOUT_SECONDS = 2;

	/**
	 * Timeout for admin actions and the redeem button, in seconds.
	 */
	const WRITE_TIMEOUT_SECONDS = 5;

	/**
	 * Where URL and token come from.
	 *
	 * @var Settings
	 */
	private $settings;

	/**
	 * Builds the client.
	 *
	 * @param Settings $settings Stored settings.
	 */
	public function __construct( Settings $settings ) {
		$this->settings = $settings;
	}

	/**
	 * GET a path such as '/api/v1/status'.
	 *
	 * @param string $path    Path with leading slash, already URL-encoded.
	 * @param int    $timeout Seconds.
	 */
	public function get( string $path, int $timeout = self::READ_TIMEOUT_SECONDS ): ApiResult {
		return $this->request( 'GET', $path, null, $timeout );
	}

	/**
	 * POST a JSON body.
	 *
	 * @param string               $path    Path.
	 * @param array<string, mixed> $body    Body to encode.
	 * @param int                  $timeout Seconds.
	 */
	public function post( string $path, array $body, int $timeout = self::READ_TIMEOUT_SECONDS ): ApiResult {
		return $this->request( 'POST', $path, $body, $timeout );
	}

	/**
	 * DELETE a path.
	 *
	 * @param string $path    Path.
	 * @param int    $timeout Seconds.
	 */
	public function delete( string $path, int $timeout = self::WRITE_TIMEOUT_SECONDS ): ApiResult {
		return $this->request( 'DELETE', $path, null, $timeout );
	}

	/**
	 * Path of a customer resource: the e-mail is URL-encoded as docs/API.md asks.
	 *
	 * @param string $email  Customer e-mail.
	 * @param string $suffix Optional tail such as '/referral'.
	 */
	public static function customer_path( string $email, string $suffix = '' ): string {
		return '/api/v1/customers/' . rawurlencode( strtolower( trim( $email ) ) ) . $suffix;
	}

	/**
	 * Sends one request and turns every outcome into an ApiResult.
	 *
	 * @param string                    $method  HTTP method.
	 * @param string                    $path    Path.
	 * @param array<string, mixed>|null $body    JSON body or null.
	 * @param int                       $timeout Seconds.
	 */
	private function request( string $method, string $path, ?array $body, int $timeout ): ApiResult {
		$base  = $this->settings->url();
		$token = $this->settings->admin_token();
		if ( '' === $base || '' === $token ) {
			return ApiResult::failure( ApiResult::NOT_CONFIGURED, __( 'rewardd is not configured yet.', 'rewardd' ) );
		}
		$args = array(
			'method'      => $method,
			'timeout'     => $timeout,
			'redirection' => 0,
			'headers'     => array(
				'Authorization' => 'Bearer ' . $token,
				'Accept'        => 'application/json',
			),
		);
		if ( null !== $body ) {
			$args['headers']['Content-Type'] = 'application/json';
			$args['body']                    = wp_json_encode( $body );
		}
		$response = wp_safe_remote_request( $base . $path, $args );
		if ( is_wp_error( $response ) ) {
			return ApiResult::failure( ApiResult::UNREACHABLE, $response->get_error_message() );
		}
		$status  = (int) wp_remote_retrieve_response_code( $response );
		$decoded = json_decode( (string) wp_remote_retrieve_body( $response ), true );
		$data    = is_array( $decoded ) ? $decoded : array();
		if ( $status >= 200 && $status < 300 ) {
			return new ApiResult( $status, $data );
		}
		$error   = isset( $data['error'] ) ? sanitize_key( (string) $data['error'] ) : 'http_' . $status;
		$message = isset( $data['message'] ) ? sanitize_text_field( (string) $data['message'] ) : '';
		return new ApiResult( $status, $data, $error, $message );
	}
}
