<?php
/**
 * What the rewardd admin page says about webhook deliveries (WebhookRecovery's work): webhooks
 * WooCommerce disabled and whether the plugin turned them back on, deliveries rewardd refused
 * for good, deliveries waiting to be resent and when the job tries next.
 * Depends on Settings, DeliveryBacklog and JobQueue.
 *
 * @package Rewardd
 */

namespace Rewardd;

defined( 'ABSPATH' ) || exit;

/**
 * The admin notices about failed deliveries.
 */
final class RecoveryNotices {

	/**
	 * Stored settings (rewardd's webhook ids).
	 *
	 * @var Settings
	 */
	private $settings;

	/**
	 * Remembered failures.
	 *
	 * @var DeliveryBacklog
	 */
	private $backlog;

	/**
	 * Where the job is scheduled.
	 *
	 * @var JobQueue
	 */
	private $queue;

	/**
	 * Builds the notices.
	 *
	 * @param Settings        $settings Stored settings.
	 * @param DeliveryBacklog $backlog  Remembered failures.
	 * @param JobQueue        $queue    Job scheduler.
	 */
	public function __construct( Settings $settings, DeliveryBacklog $backlog, JobQueue $queue ) {
		$this->settings = $settings;
		$this->backlog  = $backlog;
		$this->queue    = $queue;
	}

	/**
	 * What the admin should know: disabled webhooks, re-enabled ones, deliveries refused for
	 * good, deliveries waiting.
	 * After Disconnect there is nothing to say: the job drops what it remembered.
	 *
	 * @return array<int, array{type: string, message: string}>
	 */
	public function all(): array {
		$state   = $this->backlog->read();
		$next    = $this->queue->next_run( WebhookRecovery::JOB );
		$notices = array();
		foreach ( array_filter( $state['disabled'], array( $this->settings, 'owns_webhook' ), ARRAY_FILTER_USE_KEY ) as $webhook_id => $disabled ) {
			$name = $this->webhook_name( (int) $webhook_id );
			if ( null === $disabled['enabled_at'] ) {
				$notices[] = array(
					'type'    => 'error',
					/* translators: 1: webhook name, 2: date and time, 3: date and time of the next check */
					'message' => sprintf( __( 'WooCommerce disabled the webhook %1$s on %2$s after repeated failed deliveries to rewardd. The plugin checks whether rewardd answers (next check: %3$s); then it turns the webhook back on and resends what rewardd missed, including everything changed since it was disabled.', 'rewardd' ), $name, self::date( $disabled['disabled_at'] ), self::date( $next ) ),
				);
			} else {
				$notices[] = array(
					'type'    => 'success',
					/* translators: 1: webhook name, 2: date and time, 3: date and time */
					'message' => sprintf( __( 'WooCommerce disabled the webhook %1$s on %2$s; the plugin turned it back on on %3$s, once rewardd answered again.', 'rewardd' ), $name, self::date( $disabled['disabled_at'] ), self::date( $disabled['enabled_at'] ) ),
				);
			}
		}
		if ( null !== $state['refused'] ) {
			$refused   = $state['refused'];
			$notices[] = array(
				'type'    => 'warning',
				/* translators: 1: number of deliveries, 2: webhook name, 3: order or user id, 4: HTTP status, 5: date and time */
				'message' => sprintf( _n( 'rewardd refused %1$d delivery for good, the last one of %2$s (#%3$d), with HTTP %4$d on %5$s. rewardd\'s log says why; the plugin does not send it again.', 'rewardd refused %1$d deliveries for good, the last one of %2$s (#%3$d), with HTTP %4$d on %5$s. rewardd\'s log says why; the plugin does not send them again.', $refused['count'], 'rewardd' ), $refused['count'], $this->webhook_name( $refused['webhook_id'] ), $refused['resource_id'], $refused['status'], self::date( $refused['at'] ) ),
			);
		}
		foreach ( array_filter( $state['webhooks'], array( $this->settings, 'owns_webhook' ), ARRAY_FILTER_USE_KEY ) as $webhook_id => $entry ) {
			$notices[] = array(
				'type'    => 'warning',
				'message' => $this->waiting_sentence( $this->webhook_name( (int) $webhook_id ), $entry, $next ),
			);
		}
		return $notices;
	}

	/**
	 * "rewardd order.updated (#12)".
	 *
	 * @param int $webhook_id Webhook id.
	 */
	private function webhook_name( int $webhook_id ): string {
		$webhook = function_exists( 'wc_get_webhook' ) ? wc_get_webhook( $webhook_id ) : null;
		$name    = $webhook ? $webhook->get_name() : __( 'rewardd', 'rewardd' );
		return sprintf( '"%s" (#%d)', $name, $webhook_id );
	}

	/**
	 * The sentence for deliveries waiting to be resent.
	 *
	 * @param string               $name  Webhook name.
	 * @param array<string, mixed> $entry Backlog entry.
	 * @param int|null             $next  Next run of the job.
	 */
	private function waiting_sentence( string $name, array $entry, ?int $next ): string {
		/* translators: 1: number of deliveries, 2: webhook name */
		$sentence = sprintf( _n( '%1$d delivery of the webhook %2$s did not reach rewardd.', '%1$d deliveries of the webhook %2$s did not reach rewardd.', count( $entry['ids'] ), 'rewardd' ), count( $entry['ids'] ), $name );
		if ( null !== $entry['since'] ) {
			/* translators: %s: date and time */
			$sentence .= ' ' . sprintf( __( 'Everything it covers that changed since %s will be resent too.', 'rewardd' ), self::date( $entry['since'] ) );
		}
		/* translators: %s: date and time */
		return $sentence . ' ' . sprintf( __( 'The plugin resends them once rewardd answers again (next try: %s).', 'rewardd' ), self::date( $next ) );
	}

	/**
	 * A timestamp in the site's date and time format, or "not scheduled".
	 *
	 * @param int|null $time Timestamp.
	 */
	private static function date( ?int $time ): string {
		if ( null === $time ) {
			return __( 'not scheduled', 'rewardd' );
		}
		return wp_date( get_option( 'date_format' ) . ' ' . get_option( 'time_format' ), $time );
	}
}
