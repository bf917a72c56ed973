<?php
/**
 * Recovers what WooCommerce drops (INTEGRATION.md W1.4): it never retries a failed delivery
 * and disables a webhook after seven failures in a row, so while rewardd is down or
 * restarting orders would be lost for good. This notes each failed delivery of rewardd's
 * webhooks and each disabling (DeliveryBacklog), and a background job (JobQueue) waits with
 * backoff until rewardd's GET /readyz answers 200, turns disabled webhooks back on and
 * resends through the webhook itself, so rewardd gets the signed payload it would have had.
 * rewardd's intake is idempotent, so a resource sent twice is harmless.
 * Depends on Settings, DeliveryBacklog, JobQueue and WooCommerce's webhooks and orders.
 *
 * @package Rewardd
 */

namespace Rewardd;

defined( 'ABSPATH' ) || exit;

/**
 * Failed deliveries noticed, remembered and resent.
 */
final class WebhookRecovery {

	/**
	 * The job's hook.
	 */
	const JOB = 'rewardd_recover_webhooks';

	/**
	 * Deliveries per run of the job (one page of "modified since" may follow the ids).
	 */
	const BATCH = 25;

	/**
	 * Waits after the 1st, 2nd, 3rd... consecutive time rewardd did not answer; then the last.
	 */
	const BACKOFF_SECONDS = array( 60, 120, 300, 600 );

	/**
	 * What rewardd answers when it read a delivery and refused its content (docs/API.md: a
	 * malformed or unmappable order, a body too large): the same payload sent again gets the
	 * same answer, so it is not resent, nor does it hold up the deliveries behind it. Anything
	 * else is retried: 401 and 404 (a secret or shop id to fix), 408, 429, 5xx, no answer.
	 */
	const REFUSED_FOR_GOOD = array( 400, 413, 415, 422 );

	/**
	 * Timeout of GET /readyz: the job must not hang on a daemon that is half up.
	 */
	const READY_TIMEOUT_SECONDS = 3;

	/**
	 * Stored settings (the URL and rewardd's webhook ids).
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
	 * Whether the last delivery of one of rewardd's webhooks is settled (it arrived, or rewardd
	 * refused it for good); null before any.
	 *
	 * @var bool|null
	 */
	private $last_settled = null;

	/**
	 * Builds the recovery.
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
	 * Hooks WooCommerce's two webhook actions and the job.
	 */
	public function register(): void {
		add_action( 'woocommerce_webhook_delivery', array( $this, 'on_delivery' ), 10, 5 );
		add_action( 'woocommerce_webhook_disabled_due_delivery_failures', array( $this, 'on_disabled' ) );
		add_action( self::JOB, array( $this, 'run' ) );
	}

	/**
	 * After every delivery (WC_Webhook::deliver): remembers a failure, forgets a success or a
	 * refusal for good. WooCommerce counts 200-302 as success, anything else (a WP_Error
	 * included) as failure.
	 *
	 * @param array          $http_args  Request.
	 * @param array|WP_Error $response   Response.
	 * @param float          $duration   Seconds.
	 * @param mixed          $arg        First hook argument: the order id, or the user id.
	 * @param int            $webhook_id Webhook id.
	 */
	public function on_delivery( $http_args, $response, $duration, $arg, $webhook_id ): void {
		$resource_id = is_numeric( $arg ) ? (int) $arg : 0;
		if ( ! $this->settings->owns_webhook( (int) $webhook_id ) || $resource_id <= 0 ) {
			return;
		}
		$code = is_wp_error( $response ) ? 0 : (int) wp_remote_retrieve_response_code( $response );
		if ( $code >= 200 && $code < 303 ) {
			$this->last_settled = true;
			$this->backlog->forget( (int) $webhook_id, $resource_id );
			return;
		}
		$this->last_settled = in_array( $code, self::REFUSED_FOR_GOOD, true );
		if ( $this->last_settled ) {
			$this->backlog->refused( (int) $webhook_id, $resource_id, $code, time() );
			return;
		}
		$this->backlog->remember( (int) $webhook_id, $resource_id, time(), self::changed_at( (int) $webhook_id, $resource_id ) );
		$this->queue->schedule( self::JOB, self::BACKOFF_SECONDS[0], true );
	}

	/**
	 * When a resource last changed, by the date changed_since() finds it again with: an
	 * order's date_modified, a user's registration; null when it cannot be read (deleted).
	 *
	 * @param int $webhook_id  Webhook id.
	 * @param int $resource_id Order or user id.
	 */
	private static function changed_at( int $webhook_id, int $resource_id ): ?int {
		$webhook = wc_get_webhook( $webhook_id );
		if ( ! $webhook ) {
			return null;
		}
		if ( 'order' === $webhook->get_resource() ) {
			$order    = wc_get_order( $resource_id );
			$modified = $order ? $order->get_date_modified() : null;
			return $modified ? $modified->getTimestamp() : null;
		}
		$user = get_userdata( $resource_id );
		return $user ? (int) strtotime( $user->user_registered . ' UTC' ) : null;
	}

	/**
	 * WooCommerce disabled a webhook. It fires this before saving the new status, so the
	 * webhook is only noted here and turned back on by the job.
	 *
	 * @param int $webhook_id Webhook id.
	 */
	public function on_disabled( $webhook_id ): void {
		if ( ! $this->settings->owns_webhook( (int) $webhook_id ) ) {
			return;
		}
		$this->backlog->disabled( (int) $webhook_id, time() );
		$this->queue->schedule( self::JOB, self::BACKOFF_SECONDS[0], true );
	}

	/**
	 * The job: when rewardd is ready, turns webhooks back on and resends one batch, then
	 * runs again at once while work is left; when rewardd is not, tries again later.
	 */
	public function run(): void {
		if ( $this->backlog->is_empty() ) {
			$this->backlog->attempt( false );
			return;
		}
		if ( ! $this->rewardd_ready() ) {
			$this->retry_later();
			return;
		}
		$budget = self::BATCH;
		foreach ( array_keys( $this->pending() ) as $webhook_id ) {
			$webhook = $this->settings->owns_webhook( $webhook_id ) ? wc_get_webhook( $webhook_id ) : null;
			if ( ! $webhook ) {
				$this->backlog->drop( $webhook_id );
				continue;
			}
			$this->turn_on( $webhook );
			if ( 'active' !== $webhook->get_status() ) {
				continue; // Paused by an admin or by deactivation: resent once it is active again.
			}
			$budget = $this->resend( $webhook, $budget );
			if ( $budget < 0 ) {
				$this->retry_later();
				return;
			}
			if ( 0 === $budget ) {
				break;
			}
		}
		$this->backlog->attempt( false );
		if ( 0 === $budget ) {
			$this->queue->schedule( self::JOB, 0, false );
		} elseif ( $this->work_left() ) {
			// A delivery that failed in another process while this run was going could not
			// schedule the job (it counts as scheduled while it runs): without this, it would
			// wait for the next failure.
			$this->queue->schedule( self::JOB, self::BACKOFF_SECONDS[0], false );
		}
	}

	/**
	 * Whether an active webhook still has something to resend (paused ones wait for their
	 * activation, which schedules the job).
	 */
	private function work_left(): bool {
		foreach ( array_keys( $this->pending() ) as $webhook_id ) {
			$webhook = $this->settings->owns_webhook( $webhook_id ) ? wc_get_webhook( $webhook_id ) : null;
			if ( $webhook && 'active' === $webhook->get_status() ) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Whether rewardd answers GET /readyz with 200 (503 while its store fails).
	 */
	private function rewardd_ready(): bool {
		if ( '' === $this->settings->url() ) {
			return false;
		}
		$response = wp_safe_remote_get(
			$this->settings->url() . '/readyz',
			array(
				'timeout'     => self::READY_TIMEOUT_SECONDS,
				'redirection' => 0,
			)
		);
		return ! is_wp_error( $response ) && 200 === (int) wp_remote_retrieve_response_code( $response );
	}

	/**
	 * Counts a failed attempt and schedules the next, further away each time.
	 */
	private function retry_later(): void {
		$attempt = $this->backlog->attempt( true );
		$delays  = self::BACKOFF_SECONDS;
		$this->queue->schedule( self::JOB, $delays[ min( $attempt, count( $delays ) ) - 1 ], false );
	}

	/**
	 * Webhooks with something to resend or to turn back on, by id.
	 *
	 * @return array<int, true>
	 */
	private function pending(): array {
		$state   = $this->backlog->read();
		$pending = array_fill_keys( array_keys( $state['webhooks'] ), true );
		foreach ( $state['disabled'] as $webhook_id => $disabled ) {
			if ( null === $disabled['enabled_at'] ) {
				$pending[ (int) $webhook_id ] = true;
			}
		}
		return $pending;
	}

	/**
	 * Sets a webhook WooCommerce disabled back to active. save() keeps failure_count, which
	 * stays above the limit after a disabling, so it is reset too: else the next single
	 * failure would disable the webhook again.
	 *
	 * @param \WC_Webhook $webhook Webhook.
	 */
	private function turn_on( $webhook ): void {
		if ( 'disabled' === $webhook->get_status() ) {
			$webhook->set_status( 'active' );
			$webhook->set_failure_count( 0 );
			$webhook->save();
		}
		if ( 'active' === $webhook->get_status() ) {
			$this->backlog->enabled( $webhook->get_id(), time() );
		}
	}

	/**
	 * Resends a webhook's remembered ids, then one page of "modified since".
	 *
	 * @param \WC_Webhook $webhook Webhook.
	 * @param int         $budget  Deliveries still allowed in this run.
	 * @return int The budget left, or -1 when a delivery failed.
	 */
	private function resend( $webhook, int $budget ): int {
		$entry = $this->backlog->entry( $webhook->get_id() );
		if ( null === $entry ) {
			return $budget;
		}
		foreach ( array_slice( $entry['ids'], 0, $budget ) as $resource_id ) {
			if ( ! $this->deliver( $webhook, $resource_id ) ) {
				return -1;
			}
			--$budget;
		}
		if ( $budget > 0 && null !== $entry['since'] ) {
			$ids = $this->changed_since( $webhook->get_resource(), $entry['since'], $entry['page'] );
			foreach ( $ids as $resource_id ) {
				if ( ! $this->deliver( $webhook, $resource_id ) ) {
					return -1;
				}
			}
			$this->backlog->page_done( $webhook->get_id(), count( $ids ) < self::BATCH );
			$budget = count( $ids ) < self::BATCH ? $budget : 0;
		}
		return $budget;
	}

	/**
	 * Delivers through the webhook, as WooCommerce's own job does; on_delivery() then
	 * forgets or remembers the resource.
	 *
	 * @param \WC_Webhook $webhook     Webhook.
	 * @param int         $resource_id Order or user id.
	 */
	private function deliver( $webhook, int $resource_id ): bool {
		$this->last_settled = null;
		$webhook->deliver( $resource_id );
		return true === $this->last_settled;
	}

	/**
	 * One page of the resources a topic would have sent since a time: orders modified
	 * (wc_get_orders, so HPOS and posts alike), or users registered.
	 *
	 * @param string $resource order or customer.
	 * @param int    $since    Timestamp.
	 * @param int    $page     Page, from 1.
	 * @return int[]
	 */
	private function changed_since( string $resource, int $since, int $page ): array {
		if ( 'order' === $resource ) {
			return array_map(
				'intval',
				wc_get_orders(
					array(
						'type'          => 'shop_order',
						'date_modified' => '>=' . $since,
						'orderby'       => 'ID',
						'order'         => 'ASC',
						'limit'         => self::BATCH,
						'page'          => $page,
						'return'        => 'ids',
					)
				)
			);
		}
		return array_map(
			'intval',
			get_users(
				array(
					'date_query' => array(
						array(
							'column'    => 'user_registered',
							'after'     => gmdate( 'Y-m-d H:i:s', $since ),
							'inclusive' => true,
						),
					),
					'orderby'    => 'ID',
					'order'      => 'ASC',
					'number'     => self::BATCH,
					'paged'      => $page,
					'fields'     => 'ID',
				)
			)
		);
	}
}
