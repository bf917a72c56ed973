<?php
/**
 * What WooCommerce failed to deliver to rewardd and never will by itself (INTEGRATION.md
 * W1.4: no retry), kept durably until WebhookRecovery has resent it: per webhook, the
 * resource ids whose delivery failed, at most MAX_IDS; beyond that, and for the time a
 * webhook was disabled, "everything modified since" a time instead. Also when WooCommerce
 * disabled a webhook and when the plugin turned it back on, for the admin page.
 * One option, autoload off, changed under a lock because deliveries run in several
 * processes. Depends on WordPress options and $wpdb only.
 *
 * @package Rewardd
 */

namespace Rewardd;

defined( 'ABSPATH' ) || exit;

/**
 * The remembered failed deliveries.
 */
final class DeliveryBacklog {

	const OPTION = 'rewardd_webhook_backlog';
	const LOCK   = 'rewardd_webhook_backlog_lock';

	/**
	 * Ids remembered per webhook; an outage of days must not grow the option without limit.
	 */
	const MAX_IDS = 100;

	/**
	 * "Modified since" starts this long before the time it is based on (see remember() and
	 * disabled()), for the requests that were saving an order at that moment and for the
	 * difference between PHP's clock and the dates stored with orders.
	 */
	const MARGIN_SECONDS = 600;

	/**
	 * How long the "turned back on" notice stays.
	 */
	const NOTICE_SECONDS = DAY_IN_SECONDS;

	/**
	 * Seconds a lock is trusted; a process that died holding it must not block the rest.
	 */
	const LOCK_SECONDS = 30;

	/**
	 * The whole state.
	 *
	 * @return array{webhooks: array<int, array{ids: int[], failing_since: int, since: int|null, page: int}>, disabled: array<int, array{disabled_at: int, enabled_at: int|null}>, attempt: int, refused: array{count: int, webhook_id: int, resource_id: int, status: int, at: int}|null}
	 */
	public function read(): array {
		self::forget_cached();
		$value = get_option( self::OPTION, array() );
		$value = is_array( $value ) ? $value : array();
		return $value + array(
			'webhooks' => array(),
			'disabled' => array(),
			'attempt'  => 0,
			'refused'  => null,
		);
	}

	/**
	 * A webhook's remembered deliveries, or null.
	 *
	 * @param int $webhook_id Webhook id.
	 * @return array{ids: int[], failing_since: int, since: int|null, page: int}|null
	 */
	public function entry( int $webhook_id ): ?array {
		return $this->read()['webhooks'][ $webhook_id ] ?? null;
	}

	/**
	 * Whether nothing waits to be resent or turned back on.
	 */
	public function is_empty(): bool {
		$state = $this->read();
		foreach ( $state['disabled'] as $disabled ) {
			if ( null === $disabled['enabled_at'] ) {
				return false;
			}
		}
		return empty( $state['webhooks'] );
	}

	/**
	 * A failed delivery. Past MAX_IDS the resource is covered by "modified since" instead,
	 * from when it changed: a delivery runs from WooCommerce's queue (Action Scheduler), where
	 * it may have waited any length of time after the order changed (a busy queue, WP-Cron
	 * only on visits), so the time of the failure, the first one's included, can be after the
	 * order's last modification, and no fixed margin before it is sure to reach back that far.
	 * The resource's own date is: "modified since" finds it by that very date, which only grows.
	 * Never later than the first failure, for a resource whose date could not be read.
	 *
	 * @param int      $webhook_id  Webhook id.
	 * @param int      $resource_id Order or user id.
	 * @param int      $now         Timestamp.
	 * @param int|null $changed_at  When the resource last changed (an order's date_modified,
	 *                              a user's registration), null if unknown.
	 */
	public function remember( int $webhook_id, int $resource_id, int $now, ?int $changed_at = null ): void {
		$this->change(
			static function ( array $state ) use ( $webhook_id, $resource_id, $now, $changed_at ) {
				$entry = $state['webhooks'][ $webhook_id ] ?? self::new_entry( $now );
				if ( ! in_array( $resource_id, $entry['ids'], true ) ) {
					if ( count( $entry['ids'] ) < self::MAX_IDS ) {
						$entry['ids'][] = $resource_id;
					} else {
						$since = min( $changed_at ?? $entry['failing_since'], $entry['failing_since'] );
						$entry = self::resend_since( $entry, $since - self::MARGIN_SECONDS );
					}
				}
				$state['webhooks'][ $webhook_id ] = $entry;
				return $state;
			}
		);
	}

	/**
	 * A delivery that arrived: that resource need not be resent.
	 *
	 * @param int $webhook_id  Webhook id.
	 * @param int $resource_id Order or user id.
	 */
	public function forget( int $webhook_id, int $resource_id ): void {
		$entry = $this->entry( $webhook_id );
		if ( null === $entry || ! in_array( $resource_id, $entry['ids'], true ) ) {
			return;
		}
		$this->change_entry(
			$webhook_id,
			static function ( array $entry ) use ( $resource_id ) {
				$entry['ids'] = array_values( array_diff( $entry['ids'], array( $resource_id ) ) );
				return $entry;
			}
		);
	}

	/**
	 * A delivery rewardd refused for good: it is not resent, and the last such refusal is kept
	 * for the admin page.
	 *
	 * @param int $webhook_id  Webhook id.
	 * @param int $resource_id Order or user id.
	 * @param int $status      rewardd's HTTP status.
	 * @param int $now         Timestamp.
	 */
	public function refused( int $webhook_id, int $resource_id, int $status, int $now ): void {
		$this->forget( $webhook_id, $resource_id );
		$this->change(
			static function ( array $state ) use ( $webhook_id, $resource_id, $status, $now ) {
				$state['refused'] = array(
					'count'       => ( $state['refused']['count'] ?? 0 ) + 1,
					'webhook_id'  => $webhook_id,
					'resource_id' => $resource_id,
					'status'      => $status,
					'at'          => $now,
				);
				return $state;
			}
		);
	}

	/**
	 * WooCommerce disabled the webhook: nothing is even attempted until it is active again,
	 * so everything modified from then on has to be resent. What changed before was queued
	 * already, and those deliveries still run (WC_Webhook::deliver() does not look at the
	 * status): when they fail, remember() covers them by their own dates.
	 *
	 * @param int $webhook_id Webhook id.
	 * @param int $now        Timestamp.
	 */
	public function disabled( int $webhook_id, int $now ): void {
		$this->change(
			static function ( array $state ) use ( $webhook_id, $now ) {
				$entry                            = $state['webhooks'][ $webhook_id ] ?? self::new_entry( $now );
				$state['webhooks'][ $webhook_id ] = self::resend_since( $entry, $now - self::MARGIN_SECONDS );
				$state['disabled'][ $webhook_id ] = array(
					'disabled_at' => $now,
					'enabled_at'  => null,
				);
				return $state;
			}
		);
	}

	/**
	 * The webhook is active again (the plugin turned it back on, or an admin did).
	 *
	 * @param int $webhook_id Webhook id.
	 * @param int $now        Timestamp.
	 */
	public function enabled( int $webhook_id, int $now ): void {
		$this->change(
			static function ( array $state ) use ( $webhook_id, $now ) {
				if ( isset( $state['disabled'][ $webhook_id ] ) && null === $state['disabled'][ $webhook_id ]['enabled_at'] ) {
					$state['disabled'][ $webhook_id ]['enabled_at'] = $now;
				}
				return $state;
			}
		);
	}

	/**
	 * One page of "modified since" was resent; the last one (shorter than a page) ends it.
	 *
	 * @param int  $webhook_id Webhook id.
	 * @param bool $last       Whether it was the last page.
	 */
	public function page_done( int $webhook_id, bool $last ): void {
		$this->change_entry(
			$webhook_id,
			static function ( array $entry ) use ( $last ) {
				$entry['since'] = $last ? null : $entry['since'];
				$entry['page']  = $last ? 1 : $entry['page'] + 1;
				return $entry;
			}
		);
	}

	/**
	 * Forgets a webhook (deleted, or no longer rewardd's).
	 *
	 * @param int $webhook_id Webhook id.
	 */
	public function drop( int $webhook_id ): void {
		$this->change(
			static function ( array $state ) use ( $webhook_id ) {
				unset( $state['webhooks'][ $webhook_id ], $state['disabled'][ $webhook_id ] );
				return $state;
			}
		);
	}

	/**
	 * Counts a recovery attempt that found rewardd down, or resets the count.
	 *
	 * @param bool $failed Whether it failed.
	 * @return int Consecutive failed attempts.
	 */
	public function attempt( bool $failed ): int {
		$attempt = 0;
		$this->change(
			static function ( array $state ) use ( $failed, &$attempt ) {
				$state['attempt'] = $failed ? $state['attempt'] + 1 : 0;
				$attempt          = $state['attempt'];
				return $state;
			}
		);
		return $attempt;
	}

	/**
	 * Makes get_option() read the table: another process (Action Scheduler runs several, and
	 * one runs many deliveries) may have written since, even where this one cached that the
	 * option did not exist.
	 */
	private static function forget_cached(): void {
		wp_cache_delete( self::OPTION, 'options' );
		$missing = wp_cache_get( 'notoptions', 'options' );
		if ( is_array( $missing ) && isset( $missing[ self::OPTION ] ) ) {
			unset( $missing[ self::OPTION ] );
			wp_cache_set( 'notoptions', $missing, 'options' );
		}
	}

	/**
	 * A new entry.
	 *
	 * @param int $now Timestamp of the first failure.
	 * @return array{ids: int[], failing_since: int, since: int|null, page: int}
	 */
	private static function new_entry( int $now ): array {
		return array(
			'ids'           => array(),
			'failing_since' => $now,
			'since'         => null,
			'page'          => 1,
		);
	}

	/**
	 * Makes an entry resend everything modified since $since (or earlier, if it already did).
	 * An earlier start restarts the pages: the ones already resent have shifted.
	 *
	 * @param array<string, mixed> $entry Entry.
	 * @param int                  $since Timestamp.
	 * @return array<string, mixed>
	 */
	private static function resend_since( array $entry, int $since ): array {
		if ( null === $entry['since'] || $since < $entry['since'] ) {
			$entry['since'] = $since;
			$entry['page']  = 1;
		}
		return $entry;
	}

	/**
	 * Changes one webhook's entry, dropping it once there is nothing left to resend.
	 *
	 * @param int      $webhook_id Webhook id.
	 * @param callable $change     fn(array $entry): array.
	 */
	private function change_entry( int $webhook_id, callable $change ): void {
		$this->change(
			static function ( array $state ) use ( $webhook_id, $change ) {
				if ( ! isset( $state['webhooks'][ $webhook_id ] ) ) {
					return $state;
				}
				$entry = $change( $state['webhooks'][ $webhook_id ] );
				if ( empty( $entry['ids'] ) && null === $entry['since'] ) {
					unset( $state['webhooks'][ $webhook_id ] );
				} else {
					$state['webhooks'][ $webhook_id ] = $entry;
				}
				return $state;
			}
		);
	}

	/**
	 * Read, change and write under the lock; old "turned back on" notes are dropped.
	 *
	 * @param callable $change fn(array $state): array.
	 */
	private function change( callable $change ): void {
		$locked = $this->lock();
		try {
			$state = $change( $this->read() );
			foreach ( $state['disabled'] as $id => $disabled ) {
				if ( null !== $disabled['enabled_at'] && $disabled['enabled_at'] < time() - self::NOTICE_SECONDS ) {
					unset( $state['disabled'][ $id ] );
				}
			}
			update_option( self::OPTION, $state, false );
		} finally {
			if ( $locked ) {
				$this->unlock();
			}
		}
	}

	/**
	 * Takes the lock the way WP_Upgrader::create_lock() does (INSERT IGNORE of an option row),
	 * waiting up to 5 seconds; goes on without it rather than lose a failed delivery.
	 */
	private function lock(): bool {
		global $wpdb;
		for ( $try = 0; $try < 100; $try++ ) {
			// phpcs:ignore WordPress.DB.DirectDatabaseQuery
			$taken = $wpdb->query( $wpdb->prepare( "INSERT IGNORE INTO {$wpdb->options} ( option_name, option_value, autoload ) VALUES ( %s, %s, 'no' )", self::LOCK, (string) ( time() + self::LOCK_SECONDS ) ) );
			if ( 1 === $taken ) {
				return true;
			}
			// phpcs:ignore WordPress.DB.DirectDatabaseQuery
			$expires = (int) $wpdb->get_var( $wpdb->prepare( "SELECT option_value FROM {$wpdb->options} WHERE option_name = %s", self::LOCK ) );
			if ( $expires < time() ) {
				$this->unlock();
				continue;
			}
			usleep( 50000 );
		}
		return false;
	}

	/**
	 * Releases the lock.
	 */
	private function unlock(): void {
		global $wpdb;
		$wpdb->delete( $wpdb->options, array( 'option_name' => self::LOCK ) ); // phpcs:ignore WordPress.DB.DirectDatabaseQuery
	}
}
