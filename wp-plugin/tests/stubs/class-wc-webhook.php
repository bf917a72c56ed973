<?php
/**
 * Test stub (not WooCommerce): WC_Webhook with the setters, save(), deliver_ping(),
 * deliver() and delete() described in INTEGRATION.md W1.2-W1.4/W4, stored in
 * {prefix}wc_webhooks like WooCommerce's data store. The ping is the real thing:
 * wp_safe_remote_post() with the body "webhook_id=<id>", success only on HTTP 200 exactly.
 * deliver() sends the signed POST, counts failures as WooCommerce's log_delivery() and
 * failed_delivery() do (success is 200-302; a stored failure_count above 5 disables the
 * webhook and fires woocommerce_webhook_disabled_due_delivery_failures before the save),
 * then fires woocommerce_webhook_delivery. Payloads are a small part of the REST shape.
 *
 * @package Rewardd\Tests
 */

/**
 * Stub of WooCommerce's WC_Webhook.
 */
class WC_Webhook {

	/**
	 * Row id, 0 until saved.
	 *
	 * @var int
	 */
	protected $id = 0;

	/**
	 * Fields as stored.
	 *
	 * @var array<string, mixed>
	 */
	protected $data = array(
		'status'           => 'disabled',
		'name'             => '',
		'user_id'          => 0,
		'delivery_url'     => '',
		'secret'           => '',
		'topic'            => '',
		'api_version'      => 3,
		'failure_count'    => 0,
		'pending_delivery' => 1,
	);

	/**
	 * Delivery URL when loaded, to notice changes (WC-ds update).
	 *
	 * @var string
	 */
	protected $loaded_url = '';

	/**
	 * Loads a webhook by id, or starts a new one.
	 *
	 * @param int $id Webhook id or 0.
	 */
	public function __construct( $id = 0 ) {
		global $wpdb;
		if ( (int) $id <= 0 ) {
			return;
		}
		$row = $wpdb->get_row( $wpdb->prepare( "SELECT * FROM {$wpdb->prefix}wc_webhooks WHERE webhook_id = %d", (int) $id ), ARRAY_A );
		if ( ! $row ) {
			return;
		}
		$this->id = (int) $row['webhook_id'];
		foreach ( array_keys( $this->data ) as $key ) {
			$this->data[ $key ] = $row[ $key ];
		}
		$this->loaded_url = (string) $row['delivery_url'];
	}

	/** @return int */
	public function get_id() {
		return $this->id;
	}

	/** @param string $name Name. */
	public function set_name( $name ) {
		$this->data['name'] = (string) $name;
	}

	/** @param int $user_id User the payload is built as. */
	public function set_user_id( $user_id ) {
		$this->data['user_id'] = (int) $user_id;
	}

	/**
	 * Accepts only resource.event topics of core resources, like wc_is_webhook_valid_topic().
	 *
	 * @param string $topic Topic.
	 */
	public function set_topic( $topic ) {
		if ( ! preg_match( '/^(coupon|customer|order|product)\.(created|updated|deleted|restored)$/', (string) $topic ) ) {
			throw new InvalidArgumentException( 'Invalid webhook topic: ' . $topic );
		}
		$this->data['topic'] = (string) $topic;
	}

	/** @param string $url Delivery URL. */
	public function set_delivery_url( $url ) {
		$this->data['delivery_url'] = esc_url_raw( (string) $url, array( 'http', 'https' ) );
	}

	/** @param string $secret Signing secret. */
	public function set_secret( $secret ) {
		$this->data['secret'] = (string) $secret;
	}

	/**
	 * "wp_api_v3" or 3 are stored as 3, like WooCommerce.
	 *
	 * @param string|int $version API version.
	 */
	public function set_api_version( $version ) {
		if ( ! is_numeric( $version ) ) {
			$version = (int) str_replace( array( 'wp_api_v', 'legacy_v' ), '', (string) $version );
		}
		$this->data['api_version'] = (int) $version;
	}

	/** @param string $status active, paused or disabled. */
	public function set_status( $status ) {
		if ( ! in_array( $status, array( 'active', 'paused', 'disabled' ), true ) ) {
			$status = 'disabled';
		}
		$this->data['status'] = $status;
	}

	/** @param int $count Consecutive failed deliveries. */
	public function set_failure_count( $count ) {
		$this->data['failure_count'] = (int) $count;
	}

	/** @return int */
	public function get_failure_count() {
		return (int) $this->data['failure_count'];
	}

	/** @return string The resource of the topic, e.g. "order". */
	public function get_resource() {
		return (string) strtok( $this->get_topic(), '.' );
	}

	/** @return string The event of the topic, e.g. "updated". */
	public function get_event() {
		$parts = explode( '.', $this->get_topic() );
		return (string) end( $parts );
	}

	/** @param bool $pending Pending delivery. */
	public function set_pending_delivery( $pending ) {
		$this->data['pending_delivery'] = $pending ? 1 : 0;
	}

	/** @return string */
	public function get_name() {
		return (string) $this->data['name'];
	}

	/** @return int */
	public function get_user_id() {
		return (int) $this->data['user_id'];
	}

	/** @return string */
	public function get_topic() {
		return (string) $this->data['topic'];
	}

	/** @return string */
	public function get_delivery_url() {
		return (string) $this->data['delivery_url'];
	}

	/** @return string */
	public function get_secret() {
		return (string) $this->data['secret'];
	}

	/** @return string "wp_api_v3" */
	public function get_api_version() {
		return 'wp_api_v' . (int) $this->data['api_version'];
	}

	/** @return string */
	public function get_status() {
		return (string) $this->data['status'];
	}

	/** @return bool */
	public function get_pending_delivery() {
		return (bool) $this->data['pending_delivery'];
	}

	/**
	 * Creates or updates the row. Like WC's data store, an update of an active webhook
	 * that is still pending or has a new URL pings it.
	 *
	 * @return int Id.
	 */
	public function save() {
		global $wpdb;
		$now = current_time( 'mysql' );
		$gmt = current_time( 'mysql', true );
		if ( 0 === $this->id ) {
			$this->data['pending_delivery'] = 1;
			$wpdb->insert(
				"{$wpdb->prefix}wc_webhooks",
				$this->data + array(
					'date_created'      => $now,
					'date_created_gmt'  => $gmt,
					'date_modified'     => $now,
					'date_modified_gmt' => $gmt,
				)
			);
			$this->id         = (int) $wpdb->insert_id;
			$this->loaded_url = $this->get_delivery_url();
			return $this->id;
		}
		$wpdb->update(
			"{$wpdb->prefix}wc_webhooks",
			$this->data + array(
				'date_modified'     => $now,
				'date_modified_gmt' => $gmt,
			),
			array( 'webhook_id' => $this->id )
		);
		$url_changed      = $this->loaded_url !== $this->get_delivery_url();
		$this->loaded_url = $this->get_delivery_url();
		if ( 'active' === $this->get_status() && ( $url_changed || $this->get_pending_delivery() ) ) {
			$this->deliver_ping();
		}
		return $this->id;
	}

	/**
	 * Sends the ping: no signature, no X-WC-* headers, form body webhook_id=<id>.
	 *
	 * @return true|WP_Error
	 */
	public function deliver_ping() {
		$args     = array(
			'user-agent' => 'WooCommerce/9.4.0-stub Hookshot (WordPress/' . get_bloginfo( 'version' ) . ')',
			'body'       => 'webhook_id=' . $this->get_id(),
		);
		$test     = wp_safe_remote_post( $this->get_delivery_url(), $args );
		$response = wp_remote_retrieve_response_code( $test );
		if ( is_wp_error( $test ) ) {
			/* translators: error message */
			return new WP_Error( 'error', sprintf( 'Error: Delivery URL cannot be reached: %s', $test->get_error_message() ) );
		}
		if ( 200 !== (int) $response ) {
			return new WP_Error( 'error', sprintf( 'Error: Delivery URL returned response code: %s', absint( $response ) ) );
		}
		$this->set_pending_delivery( false );
		$this->save();
		return true;
	}

	/**
	 * Delivers one resource now, as WooCommerce's deliver(): signed JSON POST, 60 s timeout,
	 * no redirects, then the failure count, then woocommerce_webhook_delivery.
	 *
	 * @param mixed $arg First hook argument: the order or user id.
	 */
	public function deliver( $arg ) {
		$start       = microtime( true );
		$delivery_id = wp_hash( $this->get_id() . time() );
		$body        = trim( (string) wp_json_encode( $this->build_payload( $arg ) ) );
		$http_args   = array(
			'method'      => 'POST',
			'timeout'     => MINUTE_IN_SECONDS,
			'redirection' => 0,
			'httpversion' => '1.0',
			'blocking'    => true,
			'user-agent'  => 'WooCommerce/9.4.0-stub Hookshot (WordPress/' . get_bloginfo( 'version' ) . ')',
			'body'        => $body,
			'headers'     => array(
				'Content-Type'             => 'application/json',
				'X-WC-Webhook-Source'      => home_url( '/' ),
				'X-WC-Webhook-Topic'       => $this->get_topic(),
				'X-WC-Webhook-Resource'    => $this->get_resource(),
				'X-WC-Webhook-Event'       => $this->get_event(),
				'X-WC-Webhook-Signature'   => base64_encode( hash_hmac( 'sha256', $body, wp_specialchars_decode( $this->get_secret(), ENT_QUOTES ), true ) ),
				'X-WC-Webhook-ID'          => $this->get_id(),
				'X-WC-Webhook-Delivery-ID' => $delivery_id,
			),
			'cookies'     => array(),
		);
		$response = wp_safe_remote_request( $this->get_delivery_url(), $http_args );
		$duration = round( microtime( true ) - $start, 5 );
		$this->count_outcome( $response );
		do_action( 'woocommerce_webhook_delivery', $http_args, $response, $duration, $arg, $this->get_id() );
	}

	/**
	 * The payload, built as the webhook's user; deleted resources send only their id.
	 *
	 * @param mixed $resource_id Order or user id.
	 * @return array<string, mixed>
	 */
	public function build_payload( $resource_id ) {
		$payload = array( 'id' => $resource_id );
		if ( 'deleted' !== $this->get_event() ) {
			if ( 'order' === $this->get_resource() ) {
				$order   = wc_get_order( $resource_id );
				$payload = $order ? array(
					'id'       => $order->get_id(),
					'status'   => $order->get_status(),
					'currency' => 'NOK',
					'billing'  => array( 'email' => $order->get_billing_email() ),
				) : array();
			} elseif ( 'customer' === $this->get_resource() ) {
				$user    = get_userdata( (int) $resource_id );
				$payload = $user ? array(
					'id'    => $user->ID,
					'email' => $user->user_email,
				) : array();
			}
		}
		return apply_filters( 'woocommerce_webhook_payload', $payload, $this->get_resource(), $resource_id, $this->get_id() );
	}

	/**
	 * log_delivery()'s failure tracking: a WP_Error's code is a string, so intval() makes it 0.
	 *
	 * @param array|WP_Error $response Response.
	 */
	private function count_outcome( $response ) {
		$code = is_wp_error( $response ) ? $response->get_error_code() : wp_remote_retrieve_response_code( $response );
		if ( intval( $code ) >= 200 && intval( $code ) < 303 ) {
			$this->set_failure_count( 0 );
		} elseif ( $this->get_failure_count() > apply_filters( 'woocommerce_max_webhook_delivery_failures', 5 ) ) {
			$this->set_status( 'disabled' );
			do_action( 'woocommerce_webhook_disabled_due_delivery_failures', $this->get_id() );
		} else {
			$this->set_failure_count( $this->get_failure_count() + 1 );
		}
		if ( 0 !== $this->id ) {
			$this->save();
		}
	}

	/**
	 * Deletes the row (webhooks have no trash; $force_delete is accepted for the signature).
	 *
	 * @param bool $force_delete Ignored.
	 * @return bool
	 */
	public function delete( $force_delete = false ) {
		global $wpdb;
		if ( 0 === $this->id ) {
			return false;
		}
		$wpdb->delete( "{$wpdb->prefix}wc_webhooks", array( 'webhook_id' => $this->id ) );
		$this->id = 0;
		return true;
	}
}
