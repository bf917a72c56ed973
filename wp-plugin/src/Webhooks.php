<?php
/**
 * Creates, pauses and deletes the WooCommerce webhooks that feed rewardd, with
 * `new WC_Webhook()` as INTEGRATION.md W4 shows. Depends on WooCommerce's WC_Webhook only.
 *
 * @package Rewardd
 */

namespace Rewardd;

defined( 'ABSPATH' ) || exit;

/**
 * rewardd's three WooCommerce webhooks.
 */
final class Webhooks {

	/**
	 * Topics rewardd listens to.
	 */
	const TOPICS = array( 'order.created', 'order.updated', 'customer.created' );

	/**
	 * Creates one active webhook per topic and pings each.
	 *
	 * @param string $delivery_url Where WooCommerce posts, e.g. http://host:port/webhooks/woocommerce/shop.
	 * @param string $secret       Alphanumeric signing secret (W1.2, P11).
	 * @param int    $user_id      Payloads are built as this user, who must be able to read orders.
	 * @return array{ids: int[], ping_errors: string[]} Created ids and any failed pings' messages.
	 */
	public function create_all( string $delivery_url, string $secret, int $user_id ): array {
		$ids         = array();
		$ping_errors = array();
		foreach ( self::TOPICS as $topic ) {
			$webhook = new \WC_Webhook();
			/* translators: %s: webhook topic such as order.created */
			$webhook->set_name( sprintf( __( 'rewardd %s', 'rewardd' ), $topic ) );
			$webhook->set_user_id( $user_id );
			$webhook->set_topic( $topic );
			$webhook->set_delivery_url( $delivery_url );
			$webhook->set_secret( $secret );
			$webhook->set_api_version( 'wp_api_v3' );
			$webhook->set_status( 'active' );
			$id = (int) $webhook->save();
			if ( $id <= 0 ) {
				continue;
			}
			$ids[] = $id;
			$ping  = $webhook->deliver_ping();
			if ( is_wp_error( $ping ) ) {
				$ping_errors[] = $topic . ': ' . $ping->get_error_message();
			}
		}
		return array(
			'ids'         => $ids,
			'ping_errors' => $ping_errors,
		);
	}

	/**
	 * Deletes webhooks for good.
	 *
	 * @param int[] $ids Webhook ids.
	 */
	public function delete_all( array $ids ): void {
		foreach ( $ids as $id ) {
			$webhook = wc_get_webhook( (int) $id );
			if ( $webhook ) {
				$webhook->delete( true );
			}
		}
	}

	/**
	 * Sets every webhook to a status ('active' or 'paused').
	 *
	 * @param int[]  $ids    Webhook ids.
	 * @param string $status New status.
	 */
	public function set_status( array $ids, string $status ): void {
		foreach ( $ids as $id ) {
			$webhook = wc_get_webhook( (int) $id );
			if ( $webhook && $webhook->get_status() !== $status ) {
				$webhook->set_status( $status );
				$webhook->save();
			}
		}
	}

	/**
	 * Each webhook's topic and status, for the status box.
	 *
	 * @param int[] $ids Webhook ids.
	 * @return array<int, array{topic: string, status: string}>
	 */
	public function describe( array $ids ): array {
		$out = array();
		foreach ( $ids as $id ) {
			$webhook = wc_get_webhook( (int) $id );
			if ( $webhook ) {
				$out[ (int) $id ] = array(
					'topic'  => (string) $webhook->get_topic(),
					'status' => (string) $webhook->get_status(),
				);
			}
		}
		return $out;
	}
}
