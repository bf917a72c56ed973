<?php
/**
 * WooCommerce never retries a failed webhook delivery and disables a webhook after seven
 * failures in a row (INTEGRATION.md W1.4). These tests take rewardd down for real (nothing
 * listens on its port), let the WooCommerce stub deliver and fail as WooCommerce does, then
 * start a fake rewardd on that port and run Action Scheduler's due actions, as WooCommerce's
 * queue runner would, a while later.
 *
 * @package Rewardd\Tests
 */

namespace Rewardd\Tests;

use Rewardd\Settings;

/**
 * Failed deliveries are resent; disabled webhooks are turned back on.
 */
final class WebhookRecoveryTest extends TestCase {

	const JOB    = 'rewardd_recover_webhooks';
	const OPTION = 'rewardd_webhook_backlog';

	/**
	 * The rewardd started by a test, if any.
	 *
	 * @var PhpServer|null
	 */
	private $rewardd = null;

	/**
	 * Stops the rewardd a test started.
	 */
	protected function tearDown(): void {
		if ( null !== $this->rewardd ) {
			$this->rewardd->stop();
			$this->rewardd = null;
		}
		remove_all_filters( 'woocommerce_max_webhook_delivery_failures' );
		parent::tearDown();
	}

	public function test_what_happens_when_deliveries_fail_while_rewardd_is_down(): void {
		$port     = PhpServer::free_port();
		$webhooks = $this->connect_to( $port );
		$orders   = array( $this->order(), $this->order(), $this->order() );
		$customer = $this->user( 'guri', 'customer', 'guri@example.test' )->ID;
		foreach ( $orders as $order ) {
			wc_deliver_webhook_async( $webhooks['order.created'], $order );
			wc_deliver_webhook_async( $webhooks['order.updated'], $order );
		}
		wc_deliver_webhook_async( $webhooks['customer.created'], $customer );
		$this->assertSame( array(), $this->fake()['deliveries'], 'rewardd is down: nothing arrived' );
		$this->assertSame( 'active', wc_get_webhook( $webhooks['order.updated'] )->get_status(), 'three failures do not disable' );

		$this->start_rewardd( $port );
		$this->run_jobs();

		$this->assertEqualsCanonicalizing( $orders, $this->delivered( 'order.created' ) );
		$this->assertEqualsCanonicalizing( $orders, $this->delivered( 'order.updated' ) );
		$this->assertSame( array( $customer ), $this->delivered( 'customer.created' ) );
		$this->assertFalse( as_has_scheduled_action( self::JOB ), 'nothing left to do' );

		$this->run_jobs();
		$this->assertCount( 7, $this->fake()['deliveries'], 'each sent once: they were forgotten once delivered' );
		$autoload = $GLOBALS['wpdb']->get_var( "SELECT autoload FROM {$GLOBALS['wpdb']->options} WHERE option_name = '" . self::OPTION . "'" );
		$this->assertSame( 'no', $autoload, 'the remembered deliveries are not autoloaded' );
	}

	public function test_what_happens_when_woocommerce_disables_a_webhook_after_seven_failures(): void {
		$port     = PhpServer::free_port();
		$webhooks = $this->connect_to( $port );
		$id       = $webhooks['order.updated'];
		$disabled = array();
		add_action(
			'woocommerce_webhook_disabled_due_delivery_failures',
			static function ( $webhook_id ) use ( &$disabled ) {
				$disabled[] = $webhook_id;
			}
		);
		$orders = array();
		for ( $i = 1; $i <= 7; $i++ ) {
			$orders[] = $this->order();
			wc_deliver_webhook_async( $id, end( $orders ) );
			$webhook = wc_get_webhook( $id );
			if ( $i < 7 ) {
				$this->assertSame( array( 'active', $i ), array( $webhook->get_status(), $webhook->get_failure_count() ), "after failure $i" );
			}
		}
		$this->assertSame( 'disabled', $webhook->get_status(), 'the 7th failure in a row disables it' );
		$this->assertSame( array( $id ), $disabled, 'and fires the action once' );
		// WooCommerce delivers nothing for a disabled webhook: this order reaches nobody.
		$orders[] = $this->order();

		$html = $this->admin_page();
		$this->assertStringContainsString( 'WooCommerce disabled the webhook "rewardd order.updated" (#' . $id . ') on ' . wp_date( get_option( 'date_format' ) ), $html );
		$this->assertStringContainsString( 'then it turns the webhook back on and resends what rewardd missed', $html );

		$this->start_rewardd( $port );
		$this->run_jobs();

		$webhook = wc_get_webhook( $id );
		$this->assertSame( array( 'active', 0 ), array( $webhook->get_status(), $webhook->get_failure_count() ), 'back on, the count reset' );
		$this->assertSame( array(), array_values( array_diff( $orders, $this->delivered( 'order.updated' ) ) ), 'the 7 failed orders and the one never attempted arrived (with other recent orders: resending is harmless)' );
		$this->assertStringContainsString( 'the plugin turned it back on on', $this->admin_page() );

		$later = $this->order();
		wc_deliver_webhook_async( $id, $later );
		$this->assertContains( $later, $this->delivered( 'order.updated' ), 'deliveries go on as before' );
		$this->assertSame( array( 'active', 0 ), array( wc_get_webhook( $id )->get_status(), wc_get_webhook( $id )->get_failure_count() ) );
	}

	public function test_what_happens_when_rewardd_stays_down_for_many_orders(): void {
		$port     = PhpServer::free_port();
		$webhooks = $this->connect_never_disabled( $port );
		$orders   = array();
		for ( $i = 0; $i < 130; $i++ ) {
			$orders[] = $this->order();
			wc_deliver_webhook_async( $webhooks['order.updated'], end( $orders ) );
		}
		$stored = get_option( self::OPTION );
		$this->assertIsArray( $stored, 'the failures are remembered' );
		$this->assertLessThanOrEqual( 100, count( $stored['webhooks'][ $webhooks['order.updated'] ]['ids'] ), 'at most 100 ids are remembered' );
		$this->assertLessThan( 4096, strlen( maybe_serialize( $stored ) ), 'the option stays small' );

		$this->start_rewardd( $port );
		$this->run_jobs();

		$this->assertSame( array(), array_values( array_diff( $orders, $this->delivered( 'order.updated' ) ) ), 'the orders past the bound are found by their modification date' );
		$this->assertFalse( as_has_scheduled_action( self::JOB ) );
	}

	public function test_what_happens_when_an_order_waited_in_the_queue_before_failing_past_the_id_bound(): void {
		$port     = PhpServer::free_port();
		$webhooks = $this->connect_never_disabled( $port );
		$id       = $webhooks['order.updated'];
		// Changed 30 minutes ago; its delivery waited in Action Scheduler's queue all that time.
		$waited = $this->order();
		$this->set_modified( $waited, time() - 30 * MINUTE_IN_SECONDS );
		for ( $i = 0; $i < 100; $i++ ) {
			wc_deliver_webhook_async( $id, $this->order() );
		}
		wc_deliver_webhook_async( $id, $waited );
		$entry = get_option( self::OPTION )['webhooks'][ $id ];
		$this->assertCount( 100, $entry['ids'] );
		$this->assertNotContains( $waited, $entry['ids'], 'past the bound: not remembered by its id' );

		$this->start_rewardd( $port );
		$this->run_jobs();

		$this->assertContains( $waited, $this->delivered( 'order.updated' ), 'found by its own modification date, not the failure\'s' );
		$this->assertFalse( as_has_scheduled_action( self::JOB ) );
	}

	public function test_what_happens_when_the_job_runs_while_rewardd_is_still_down(): void {
		$port     = PhpServer::free_port();
		$webhooks = $this->connect_to( $port );
		$order    = $this->order();
		wc_deliver_webhook_async( $webhooks['order.updated'], $order );
		$first = as_next_scheduled_action( self::JOB );
		$this->assertIsInt( $first, 'the job is scheduled' );
		$this->assertEqualsWithDelta( time() + 60, $first, 5, 'a minute later' );

		$waits = array();
		for ( $run = 0; $run < 5; $run++ ) {
			$this->assertSame( 1, wc_stub_as_run_due( (int) as_next_scheduled_action( self::JOB ) ) );
			$next    = as_next_scheduled_action( self::JOB );
			$waits[] = is_int( $next ) ? $next - time() : $next;
		}
		$this->assertEqualsWithDelta( array( 60, 120, 300, 600, 600 ), $waits, 5, 'backs off 1, 2, 5, 10 minutes, then every 10' );
		$this->assertSame( array(), $this->fake()['deliveries'] );
		$this->assertSame( array( $order ), get_option( self::OPTION )['webhooks'][ $webhooks['order.updated'] ]['ids'], 'nothing forgotten' );

		$this->start_rewardd( $port );
		$this->fake_update(
			static function ( array $s ) {
				$s['ready'] = false;
				return $s;
			}
		);
		wc_stub_as_run_due( time() + DAY_IN_SECONDS );
		$this->assertSame( array(), $this->fake()['deliveries'], 'not while /readyz says not_ready' );
		$this->assertIsInt( as_next_scheduled_action( self::JOB ) );
	}

	public function test_what_happens_when_rewardd_refuses_a_delivery_for_good(): void {
		$port     = PhpServer::free_port();
		$webhooks = $this->connect_to( $port );
		$id       = $webhooks['order.updated'];
		$orders   = array( $this->order(), $this->order(), $this->order() );
		foreach ( $orders as $order ) {
			wc_deliver_webhook_async( $id, $order );
		}
		$this->start_rewardd( $port );
		$this->fake_update(
			static function ( array $s ) use ( $orders ) {
				$s['refuse_ids'] = array( $orders[0] );  // first in line: it must not hold up the others
				return $s;
			}
		);
		$this->run_jobs();

		$this->assertSame( array( $orders[1], $orders[2] ), $this->delivered( 'order.updated' ) );
		$this->assertFalse( as_has_scheduled_action( self::JOB ), 'nothing left to resend: the refused order is not retried' );
		$this->assertArrayNotHasKey( $id, get_option( self::OPTION )['webhooks'] );
		$this->assertStringContainsString( 'rewardd refused 1 delivery for good, the last one of "rewardd order.updated" (#' . $id . ') (#' . $orders[0] . '), with HTTP 400', $this->admin_page() );

		wc_deliver_webhook_async( $id, $orders[0] );  // the order changes again: still refused, still not remembered
		$this->assertArrayNotHasKey( $id, get_option( self::OPTION )['webhooks'] );
		$this->assertFalse( as_has_scheduled_action( self::JOB ) );
		$this->assertStringContainsString( 'rewardd refused 2 deliveries for good', $this->admin_page() );
	}

	public function test_what_happens_when_a_delivery_fails_while_the_job_runs(): void {
		$port     = PhpServer::free_port();
		$webhooks = $this->connect_to( $port );
		$id       = $webhooks['order.updated'];
		$first    = $this->order();
		$second   = $this->order();
		wc_deliver_webhook_async( $id, $first );
		$this->start_rewardd( $port );
		// While the job resends the first order, the second one's delivery times out in another
		// PHP process (a checkout): it remembers the order, but cannot schedule the job, which
		// counts as scheduled while it runs.
		$other_process = new \Rewardd\WebhookRecovery( new Settings(), new \Rewardd\DeliveryBacklog(), new \Rewardd\JobQueue( true ) );
		$during        = static function ( $args, $response, $duration, $arg ) use ( $id, $first, $second, $other_process ) {
			if ( $first === (int) $arg ) {
				$other_process->on_delivery( array(), new \WP_Error( 'http_request_failed', 'cURL error 28: Operation timed out' ), 5.0, $second, $id );
			}
		};
		add_action( 'woocommerce_webhook_delivery', $during, 20, 4 );
		$this->run_jobs();
		remove_action( 'woocommerce_webhook_delivery', $during, 20 );

		$this->assertSame( array( $first, $second ), $this->delivered( 'order.updated' ), 'the second is resent by a later run' );
		$this->assertFalse( as_has_scheduled_action( self::JOB ) );
	}

	public function test_what_happens_when_action_scheduler_is_missing(): void {
		$queue = new \Rewardd\JobQueue( false );
		$queue->schedule( self::JOB, 60, true );
		$queue->schedule( self::JOB, 300, true );
		$this->assertEqualsWithDelta( time() + 60, wp_next_scheduled( self::JOB ), 5, 'WP-Cron, once' );
		$this->assertFalse( as_has_scheduled_action( self::JOB ) );
		\Rewardd\JobQueue::cancel( self::JOB );
		$this->assertFalse( wp_next_scheduled( self::JOB ) );
	}

	/**
	 * Connects as connect_to() does, with WooCommerce told never to disable the webhooks (tests
	 * of many failures in a row, past the id bound).
	 *
	 * @param int $port Where rewardd will listen.
	 * @return array<string, int> Webhook ids by topic.
	 */
	private function connect_never_disabled( int $port ): array {
		add_filter(
			'woocommerce_max_webhook_delivery_failures',
			static function () {
				return 1000;
			}
		);
		return $this->connect_to( $port );
	}

	/**
	 * Settings, the shop in the fake and Connect's three webhooks, all pointing at a port.
	 *
	 * @param int $port Port of rewardd on 127.0.0.1.
	 * @return array<string, int> Webhook id by topic.
	 */
	private function connect_to( int $port ): array {
		$url = 'http://127.0.0.1:' . $port;
		$this->configure( $url );
		$this->register_shop_in_fake();
		$created = $this->service( 'webhooks' )->create_all( $url . '/webhooks/woocommerce/' . self::SHOP_ID, str_repeat( 'a', 40 ), 1 );
		( new Settings() )->save_connection(
			array(
				'key_id'       => 0,
				'webhook_ids'  => $created['ids'],
				'connected_at' => gmdate( 'c' ),
			)
		);
		$by_topic = array();
		foreach ( $created['ids'] as $id ) {
			$by_topic[ wc_get_webhook( $id )->get_topic() ] = $id;
		}
		return $by_topic;
	}

	/**
	 * A processing order.
	 */
	private function order(): int {
		$order = new \WC_Order();
		$order->set_billing_email( 'buyer@example.test' );
		$order->set_status( 'processing' );
		return (int) $order->save();
	}

	/**
	 * Sets when an order was last modified, as if it was saved then.
	 *
	 * @param int $order     Order id.
	 * @param int $timestamp When.
	 */
	private function set_modified( int $order, int $timestamp ): void {
		global $wpdb;
		$wpdb->update( "{$wpdb->prefix}wc_orders", array( 'date_updated_gmt' => gmdate( 'Y-m-d H:i:s', $timestamp ) ), array( 'id' => $order ) );
	}

	/**
	 * Starts a fake rewardd on the port the webhooks point at, sharing the suite's fake state.
	 *
	 * @param int $port Port.
	 */
	private function start_rewardd( int $port ): void {
		$this->rewardd = new PhpServer(
			'fake-rewardd-' . $port,
			$port,
			array( dirname( __DIR__ ) . '/fake-rewardd/router.php' ),
			array(
				'REWARDD_FAKE_STATE'            => REWARDD_TEST_FAKE_STATE,
				'REWARDD_FAKE_ADMIN_TOKEN'      => REWARDD_TEST_ADMIN_TOKEN,
				'REWARDD_FAKE_STOREFRONT_TOKEN' => REWARDD_TEST_STOREFRONT_TOKEN,
			)
		);
	}

	/**
	 * Runs scheduled actions, as if a day went by, until none is due.
	 */
	private function run_jobs(): void {
		for ( $round = 0; $round < 50 && wc_stub_as_run_due( time() + DAY_IN_SECONDS ) > 0; $round++ ) {
			continue;
		}
	}

	/**
	 * Resource ids the fake rewardd accepted for a topic, in arrival order.
	 *
	 * @param string $topic Topic.
	 * @return int[]
	 */
	private function delivered( string $topic ): array {
		$ids = array();
		foreach ( $this->fake()['deliveries'] as $delivery ) {
			if ( $topic === $delivery['topic'] ) {
				$ids[] = $delivery['id'];
			}
		}
		return $ids;
	}

	/**
	 * The rewardd admin page as an administrator sees it, as text.
	 */
	private function admin_page(): string {
		$this->as_admin();
		return self::text( $this->capture( array( $this->service( 'admin_page' ), 'render' ) ) );
	}
}
