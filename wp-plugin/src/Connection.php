<?php
/**
 * The "Connect" and "Disconnect" buttons as one step each: a WooCommerce REST key,
 * the shop registered with rewardd (POST/DELETE /api/v1/shops), and three webhooks.
 * Connect undoes what it did when a later step fails. Depends on Settings, ApiClient,
 * ApiKeys and Webhooks, all passed in.
 *
 * @package Rewardd
 */

namespace Rewardd;

defined( 'ABSPATH' ) || exit;

/**
 * Connects this shop to rewardd and disconnects it.
 */
final class Connection {

	/**
	 * Length of the generated webhook secret; INTEGRATION.md asks for [A-Za-z0-9]{32,}.
	 */
	const SECRET_LENGTH = 48;

	/**
	 * Stored settings.
	 *
	 * @var Settings
	 */
	private $settings;

	/**
	 * Daemon client.
	 *
	 * @var ApiClient
	 */
	private $api;

	/**
	 * WooCommerce key store.
	 *
	 * @var ApiKeys
	 */
	private $keys;

	/**
	 * WooCommerce webhooks.
	 *
	 * @var Webhooks
	 */
	private $webhooks;

	/**
	 * Builds the connector.
	 *
	 * @param Settings  $settings Stored settings.
	 * @param ApiClient $api      Daemon client.
	 * @param ApiKeys   $keys     WooCommerce key store.
	 * @param Webhooks  $webhooks WooCommerce webhooks.
	 */
	public function __construct( Settings $settings, ApiClient $api, ApiKeys $keys, Webhooks $webhooks ) {
		$this->settings = $settings;
		$this->api      = $api;
		$this->keys     = $keys;
		$this->webhooks = $webhooks;
	}

	/**
	 * Creates the key, registers the shop, creates the webhooks.
	 *
	 * @param int $user_id Admin doing it; owns the key and the webhooks.
	 * @return array<int, array{type: string, message: string}> Notices for the admin.
	 */
	public function connect( int $user_id ): array {
		if ( ! $this->settings->is_configured() ) {
			return array( self::notice( 'error', __( 'Save the rewardd URL, shop id and admin token first.', 'rewardd' ) ) );
		}
		if ( $this->settings->is_connected() ) {
			return array( self::notice( 'warning', __( 'This shop is already connected. Disconnect first to connect again.', 'rewardd' ) ) );
		}
		$key = $this->keys->create( $user_id, __( 'rewardd', 'rewardd' ) );
		if ( null === $key ) {
			return array( self::notice( 'error', __( 'Could not create a WooCommerce REST API key.', 'rewardd' ) ) );
		}
		$secret   = wp_generate_password( self::SECRET_LENGTH, false, false );
		$shop_id  = $this->settings->shop_id();
		$register = $this->api->post(
			'/api/v1/shops',
			array(
				'id'              => $shop_id,
				'platform'        => 'woocommerce',
				'secret'          => $secret,
				'url'             => home_url(),
				'consumer_key'    => $key['consumer_key'],
				'consumer_secret' => $key['consumer_secret'],
				'currency'        => function_exists( 'get_woocommerce_currency' ) ? get_woocommerce_currency() : '',
			),
			ApiClient::WRITE_TIMEOUT_SECONDS
		);
		if ( ! $register->ok() ) {
			$this->keys->revoke( $key['key_id'] );
			return array( self::notice( 'error', self::daemon_refused( $register ) ) );
		}
		$created = $this->webhooks->create_all( $this->delivery_url( $register->data(), $shop_id ), $secret, $user_id );
		$this->settings->save_connection(
			array(
				'key_id'       => $key['key_id'],
				'webhook_ids'  => $created['ids'],
				'connected_at' => gmdate( 'c' ),
			)
		);
		$notices = array( self::notice( 'success', __( 'Connected: rewardd now receives this shop\'s orders.', 'rewardd' ) ) );
		foreach ( $created['ping_errors'] as $error ) {
			/* translators: %s: the webhook topic and WordPress's error message */
			$notices[] = self::notice( 'warning', sprintf( __( 'rewardd did not answer the webhook ping (%s). Check that this site can reach the rewardd URL.', 'rewardd' ), $error ) );
		}
		return $notices;
	}

	/**
	 * Deletes the webhooks, revokes the key and removes the shop from rewardd.
	 * Local clean-up happens even when the daemon cannot be reached.
	 *
	 * @return array<int, array{type: string, message: string}> Notices for the admin.
	 */
	public function disconnect(): array {
		$connection = $this->settings->connection();
		if ( empty( $connection ) ) {
			return array( self::notice( 'warning', __( 'This shop is not connected.', 'rewardd' ) ) );
		}
		$this->webhooks->delete_all( isset( $connection['webhook_ids'] ) ? (array) $connection['webhook_ids'] : array() );
		if ( ! empty( $connection['key_id'] ) ) {
			$this->keys->revoke( (int) $connection['key_id'] );
		}
		$this->settings->clear_connection();
		$removed = $this->api->delete( '/api/v1/shops/' . rawurlencode( $this->settings->shop_id() ) );
		if ( ! $removed->ok() && 'not_found' !== $removed->error() && 'unknown_shop' !== $removed->error() ) {
			return array(
				self::notice( 'warning', __( 'Webhooks and the API key were removed here, but rewardd could not be told:', 'rewardd' ) . ' ' . self::daemon_refused( $removed ) ),
			);
		}
		return array( self::notice( 'success', __( 'Disconnected: webhooks deleted, API key revoked, shop removed from rewardd.', 'rewardd' ) ) );
	}

	/**
	 * Absolute delivery URL: the daemon's webhook_url joined to our base, else built from the id.
	 *
	 * @param array<string, mixed> $answer  Body of POST /api/v1/shops.
	 * @param string               $shop_id Shop id.
	 */
	private function delivery_url( array $answer, string $shop_id ): string {
		$path = '/webhooks/woocommerce/' . rawurlencode( $shop_id );
		if ( isset( $answer['webhook_url'] ) && is_string( $answer['webhook_url'] ) && 0 === strpos( $answer['webhook_url'], '/' ) ) {
			$path = $answer['webhook_url'];
		}
		return $this->settings->url() . $path;
	}

	/**
	 * A sentence for an error answer from the daemon.
	 *
	 * @param ApiResult $result The failed result.
	 */
	private static function daemon_refused( ApiResult $result ): string {
		switch ( $result->error() ) {
			case ApiResult::UNREACHABLE:
				/* translators: %s: error from WordPress's HTTP API */
				return sprintf( __( 'rewardd could not be reached (%s).', 'rewardd' ), $result->message() );
			case 'unauthorized':
				return __( 'rewardd refused the admin token. Create one with "rewardd token create --scope admin" and paste it again.', 'rewardd' );
			case 'forbidden':
				return __( 'The token is not an admin token. Create one with "rewardd token create --scope admin".', 'rewardd' );
			default:
				/* translators: 1: HTTP status, 2: error id, 3: message from rewardd */
				return sprintf( __( 'rewardd answered %1$d %2$s: %3$s', 'rewardd' ), $result->status(), $result->error(), $result->message() );
		}
	}

	/**
	 * One admin notice.
	 *
	 * @param string $type    success, warning or error.
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
