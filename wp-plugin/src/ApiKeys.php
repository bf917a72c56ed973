<?php
/**
 * Creates and revokes the WooCommerce REST API key rewardd uses to push coupons.
 * Writes {prefix}woocommerce_api_keys the way WooCommerce's own key screen does:
 * the consumer key stored as wc_api_hash(ck), the secret in plain, the last 7 characters
 * of the key as truncated_key. Depends on $wpdb and WooCommerce's helper functions.
 *
 * @package Rewardd
 */

namespace Rewardd;

defined( 'ABSPATH' ) || exit;

/**
 * WooCommerce REST API keys.
 */
final class ApiKeys {

	/**
	 * Database handle.
	 *
	 * @var \wpdb
	 */
	private $wpdb;

	/**
	 * Builds the key store.
	 *
	 * @param \wpdb $wpdb Database handle.
	 */
	public function __construct( \wpdb $wpdb ) {
		$this->wpdb = $wpdb;
	}

	/**
	 * Creates a read_write key owned by a user.
	 *
	 * @param int    $user_id     Owner; REST calls made with the key act as this user.
	 * @param string $description Shown in WooCommerce > Settings > Advanced > REST API.
	 * @return array{key_id: int, consumer_key: string, consumer_secret: string}|null Null on failure.
	 */
	public function create( int $user_id, string $description ): ?array {
		$consumer_key    = 'ck_' . wc_rand_hash();
		$consumer_secret = 'cs_' . wc_rand_hash();
		$inserted        = $this->wpdb->insert(
			$this->table(),
			array(
				'user_id'         => $user_id,
				'description'     => $description,
				'permissions'     => 'read_write',
				'consumer_key'    => wc_api_hash( $consumer_key ),
				'consumer_secret' => $consumer_secret,
				'truncated_key'   => substr( $consumer_key, -7 ),
			),
			array( '%d', '%s', '%s', '%s', '%s', '%s' )
		);
		if ( false === $inserted ) {
			return null;
		}
		return array(
			'key_id'          => (int) $this->wpdb->insert_id,
			'consumer_key'    => $consumer_key,
			'consumer_secret' => $consumer_secret,
		);
	}

	/**
	 * Deletes a key; REST calls made with it fail from now on.
	 *
	 * @param int $key_id Row id.
	 */
	public function revoke( int $key_id ): void {
		$this->wpdb->delete( $this->table(), array( 'key_id' => $key_id ), array( '%d' ) );
	}

	/**
	 * True when the key row still exists.
	 *
	 * @param int $key_id Row id.
	 */
	public function exists( int $key_id ): bool {
		$found = $this->wpdb->get_var(
			$this->wpdb->prepare( 'SELECT key_id FROM ' . $this->table() . ' WHERE key_id = %d', $key_id ) // phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared
		);
		return null !== $found;
	}

	/**
	 * The key table's name.
	 */
	private function table(): string {
		return $this->wpdb->prefix . 'woocommerce_api_keys';
	}
}
