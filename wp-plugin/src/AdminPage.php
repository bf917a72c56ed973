<?php
/**
 * WooCommerce > rewardd: the settings form, Connect/Disconnect and the status box.
 * Every action checks manage_options (administrators only: the page holds the daemon's
 * admin token) and its nonce before doing anything.
 * Depends on Settings, Connection, ApiClient, Webhooks and RecoveryNotices, all passed in.
 *
 * @package Rewardd
 */

namespace Rewardd;

defined( 'ABSPATH' ) || exit;

/**
 * The admin screen and its admin-post.php handlers.
 */
final class AdminPage {

	const SLUG       = 'rewardd';
	const CAPABILITY = 'manage_options';

	/**
	 * Stored settings.
	 *
	 * @var Settings
	 */
	private $settings;

	/**
	 * Connect / Disconnect.
	 *
	 * @var Connection
	 */
	private $connection;

	/**
	 * Daemon client, for the status box.
	 *
	 * @var ApiClient
	 */
	private $api;

	/**
	 * Webhooks, for the status box.
	 *
	 * @var Webhooks
	 */
	private $webhooks;

	/**
	 * Failed deliveries and disabled webhooks, for their notices.
	 *
	 * @var RecoveryNotices
	 */
	private $recovery;

	/**
	 * Builds the page.
	 *
	 * @param Settings        $settings   Stored settings.
	 * @param Connection      $connection Connect / Disconnect.
	 * @param ApiClient       $api        Daemon client.
	 * @param Webhooks        $webhooks   WooCommerce webhooks.
	 * @param RecoveryNotices $recovery   What to say about failed deliveries.
	 */
	public function __construct( Settings $settings, Connection $connection, ApiClient $api, Webhooks $webhooks, RecoveryNotices $recovery ) {
		$this->settings   = $settings;
		$this->connection = $connection;
		$this->api        = $api;
		$this->webhooks   = $webhooks;
		$this->recovery   = $recovery;
	}

	/**
	 * Hooks the menu entry and the three admin-post.php actions.
	 */
	public function register(): void {
		add_action( 'admin_menu', array( $this, 'add_menu' ), 60 );
		add_action( 'admin_post_rewardd_save_settings', array( $this, 'handle_save_settings' ) );
		add_action( 'admin_post_rewardd_connect', array( $this, 'handle_connect' ) );
		add_action( 'admin_post_rewardd_disconnect', array( $this, 'handle_disconnect' ) );
	}

	/**
	 * Adds WooCommerce > rewardd.
	 */
	public function add_menu(): void {
		add_submenu_page(
			'woocommerce',
			__( 'rewardd', 'rewardd' ),
			__( 'rewardd', 'rewardd' ),
			self::CAPABILITY,
			self::SLUG,
			array( $this, 'render' )
		);
	}

	/**
	 * Saves URL, shop id and (when given) a new admin token. A changed URL drops the saved
	 * token (see Settings::save_url) unless a new one comes with it.
	 */
	public function handle_save_settings(): void {
		$this->guard( 'rewardd_save_settings' );
		// phpcs:disable WordPress.Security.NonceVerification.Missing -- checked in guard().
		$url     = isset( $_POST['rewardd_url'] ) ? sanitize_text_field( wp_unslash( $_POST['rewardd_url'] ) ) : '';
		$shop_id = isset( $_POST['rewardd_shop_id'] ) ? sanitize_text_field( wp_unslash( $_POST['rewardd_shop_id'] ) ) : '';
		$token   = isset( $_POST['rewardd_admin_token'] ) ? sanitize_text_field( wp_unslash( $_POST['rewardd_admin_token'] ) ) : '';
		// phpcs:enable
		$notices   = array();
		$had_token = '' !== $this->settings->admin_token();
		if ( $this->settings->is_connected() && ( Settings::normalise_url( $url ) !== $this->settings->url() || sanitize_key( $shop_id ) !== $this->settings->shop_id() ) ) {
			$notices[] = array(
				'type'    => 'error',
				'message' => __( 'Disconnect before changing the rewardd URL or shop id.', 'rewardd' ),
			);
			$this->finish( $notices );
		}
		if ( ! $this->settings->save_url( $url ) ) {
			$notices[] = array(
				'type'    => 'error',
				'message' => __( 'The rewardd URL must be an http:// or https:// address without user name or password.', 'rewardd' ),
			);
		}
		if ( ! $this->settings->save_shop_id( $shop_id ) ) {
			$notices[] = array(
				'type'    => 'error',
				'message' => __( 'The shop id may use lower-case letters, digits, "-" and "_".', 'rewardd' ),
			);
		}
		$this->settings->save_admin_token( $token );
		if ( empty( $notices ) ) {
			$notices[] = array(
				'type'    => 'success',
				'message' => __( 'Settings saved.', 'rewardd' ),
			);
		}
		if ( $had_token && '' === $this->settings->admin_token() ) {
			$notices[] = array(
				'type'    => 'warning',
				'message' => __( 'The rewardd URL changed, so the saved admin token was removed. Paste the admin token for this rewardd.', 'rewardd' ),
			);
		}
		$this->finish( $notices );
	}

	/**
	 * Runs Connect.
	 */
	public function handle_connect(): void {
		$this->guard( 'rewardd_connect' );
		$this->finish( $this->connection->connect( get_current_user_id() ) );
	}

	/**
	 * Runs Disconnect.
	 */
	public function handle_disconnect(): void {
		$this->guard( 'rewardd_disconnect' );
		$this->finish( $this->connection->disconnect() );
	}

	/**
	 * Prints the page.
	 */
	public function render(): void {
		if ( ! current_user_can( self::CAPABILITY ) ) {
			wp_die( esc_html__( 'You are not allowed to manage rewardd.', 'rewardd' ), '', array( 'response' => 403 ) );
		}
		echo '<div class="wrap rewardd-admin"><h1>' . esc_html__( 'rewardd', 'rewardd' ) . '</h1>';
		$this->render_notices();
		$this->render_settings_form();
		$this->render_connection();
		$this->render_status();
		echo '</div>';
	}

	/**
	 * Refuses the request unless the user may manage options and the nonce is valid.
	 *
	 * @param string $action Nonce action.
	 */
	private function guard( string $action ): void {
		if ( ! current_user_can( self::CAPABILITY ) ) {
			wp_die( esc_html__( 'You are not allowed to manage rewardd.', 'rewardd' ), esc_html__( 'Forbidden', 'rewardd' ), array( 'response' => 403 ) );
		}
		check_admin_referer( $action );
	}

	/**
	 * Keeps notices for the next page view and goes back to the page.
	 *
	 * @param array<int, array{type: string, message: string}> $notices Notices.
	 */
	private function finish( array $notices ): void {
		set_transient( $this->notices_key(), $notices, 5 * MINUTE_IN_SECONDS );
		wp_safe_redirect( admin_url( 'admin.php?page=' . self::SLUG ) );
		exit;
	}

	/**
	 * Per-user transient name for pending notices.
	 */
	private function notices_key(): string {
		return 'rewardd_admin_notices_' . get_current_user_id();
	}

	/**
	 * Prints and forgets pending notices, then those about failed webhook deliveries.
	 */
	private function render_notices(): void {
		$notices = get_transient( $this->notices_key() );
		delete_transient( $this->notices_key() );
		$notices = array_merge( is_array( $notices ) ? $notices : array(), $this->recovery->all() );
		foreach ( $notices as $notice ) {
			$type = in_array( $notice['type'], array( 'success', 'warning', 'error' ), true ) ? $notice['type'] : 'info';
			printf( '<div class="notice notice-%1$s"><p>%2$s</p></div>', esc_attr( $type ), esc_html( $notice['message'] ) );
		}
	}

	/**
	 * The URL / shop id / token form.
	 */
	private function render_settings_form(): void {
		$masked   = $this->settings->masked_admin_token();
		$shop_id  = '' !== $this->settings->shop_id() ? $this->settings->shop_id() : sanitize_key( (string) wp_parse_url( home_url(), PHP_URL_HOST ) );
		$readonly = $this->settings->is_connected() ? ' readonly' : '';
		echo '<h2>' . esc_html__( 'Settings', 'rewardd' ) . '</h2>';
		echo '<form method="post" action="' . esc_url( admin_url( 'admin-post.php' ) ) . '">';
		echo '<input type="hidden" name="action" value="rewardd_save_settings">';
		wp_nonce_field( 'rewardd_save_settings' );
		echo '<table class="form-table" role="presentation"><tbody>';
		printf(
			'<tr><th scope="row"><label for="rewardd_url">%1$s</label></th><td><input type="url" class="regular-text" id="rewardd_url" name="rewardd_url" value="%2$s" placeholder="http://127.0.0.1:8080"%3$s><p class="description">%4$s</p></td></tr>',
			esc_html__( 'rewardd URL', 'rewardd' ),
			esc_attr( $this->settings->url() ),
			esc_attr( $readonly ),
			esc_html__( 'Where this site reaches the rewardd daemon. Only this host and port are let through WordPress\'s safe HTTP checks.', 'rewardd' )
		);
		printf(
			'<tr><th scope="row"><label for="rewardd_shop_id">%1$s</label></th><td><input type="text" class="regular-text" id="rewardd_shop_id" name="rewardd_shop_id" value="%2$s"%3$s><p class="description">%4$s</p></td></tr>',
			esc_html__( 'Shop id', 'rewardd' ),
			esc_attr( $shop_id ),
			esc_attr( $readonly ),
			esc_html__( 'How rewardd names this shop: lower-case letters, digits, "-" and "_".', 'rewardd' )
		);
		printf(
			'<tr><th scope="row"><label for="rewardd_admin_token">%1$s</label></th><td><input type="password" class="regular-text" id="rewardd_admin_token" name="rewardd_admin_token" value="" autocomplete="off" placeholder="%2$s"><p class="description">%3$s</p></td></tr>',
			esc_html__( 'Admin token', 'rewardd' ),
			esc_attr( '' !== $masked ? $masked : __( 'not set', 'rewardd' ) ),
			esc_html__( 'Paste once the token printed by "rewardd token create --scope admin". Leave empty to keep the saved one.', 'rewardd' )
		);
		echo '</tbody></table>';
		submit_button( __( 'Save settings', 'rewardd' ) );
		echo '</form>';
	}

	/**
	 * The Connect or Disconnect button.
	 */
	private function render_connection(): void {
		echo '<h2>' . esc_html__( 'Connection', 'rewardd' ) . '</h2>';
		echo '<form method="post" action="' . esc_url( admin_url( 'admin-post.php' ) ) . '">';
		if ( $this->settings->is_connected() ) {
			$connection = $this->settings->connection();
			echo '<input type="hidden" name="action" value="rewardd_disconnect">';
			wp_nonce_field( 'rewardd_disconnect' );
			/* translators: %s: date and time of the connection */
			echo '<p>' . esc_html( sprintf( __( 'Connected since %s.', 'rewardd' ), self::when( $connection['connected_at'] ?? null ) ) ) . '</p>';
			$this->render_webhook_list( isset( $connection['webhook_ids'] ) ? (array) $connection['webhook_ids'] : array() );
			submit_button( __( 'Disconnect', 'rewardd' ), 'delete', 'submit', false );
		} else {
			echo '<input type="hidden" name="action" value="rewardd_connect">';
			wp_nonce_field( 'rewardd_connect' );
			echo '<p>' . esc_html__( 'Connect creates a WooCommerce REST API key for rewardd, registers this shop with rewardd and creates the order.created, order.updated and customer.created webhooks.', 'rewardd' ) . '</p>';
			submit_button( __( 'Connect', 'rewardd' ), 'primary', 'submit', false, $this->settings->is_configured() ? '' : array( 'disabled' => 'disabled' ) );
		}
		echo '</form>';
	}

	/**
	 * Lists the webhooks Connect made with their current status.
	 *
	 * @param int[] $ids Webhook ids.
	 */
	private function render_webhook_list( array $ids ): void {
		echo '<ul class="rewardd-webhooks">';
		foreach ( $this->webhooks->describe( $ids ) as $id => $webhook ) {
			/* translators: 1: webhook topic, 2: webhook id, 3: webhook status */
			echo '<li>' . esc_html( sprintf( __( '%1$s (webhook #%2$d): %3$s', 'rewardd' ), $webhook['topic'], $id, $webhook['status'] ) ) . '</li>';
		}
		echo '</ul>';
	}

	/**
	 * Whether rewardd answers, the last webhook it got from this shop, its outbox backlog.
	 */
	private function render_status(): void {
		echo '<h2>' . esc_html__( 'Status', 'rewardd' ) . '</h2><table class="widefat striped rewardd-status" style="max-width:40em"><tbody>';
		if ( '' === $this->settings->url() || '' === $this->settings->admin_token() ) {
			$this->status_row( __( 'rewardd', 'rewardd' ), __( 'not configured', 'rewardd' ) );
			echo '</tbody></table>';
			return;
		}
		$status = $this->api->get( '/api/v1/status' );
		if ( ! $status->ok() ) {
			$why = '' !== $status->message() ? $status->message() : $status->error();
			/* translators: %s: the reason */
			$this->status_row( __( 'rewardd', 'rewardd' ), sprintf( __( 'does not answer (%s)', 'rewardd' ), $why ), 'error' );
			echo '</tbody></table>';
			return;
		}
		$data = $status->data();
		/* translators: %s: rewardd version */
		$this->status_row( __( 'rewardd', 'rewardd' ), sprintf( __( 'answers (version %s)', 'rewardd' ), (string) ( $data['version'] ?? '?' ) ), 'ok' );
		$last = $data['last_webhook_at'][ $this->settings->shop_id() ] ?? null;
		$this->status_row( __( 'Last webhook delivered', 'rewardd' ), self::when( $last ) );
		$this->status_row( __( 'Outbox backlog', 'rewardd' ), number_format_i18n( (int) ( $data['outbox_backlog'] ?? 0 ) ) );
		echo '</tbody></table>';
	}

	/**
	 * A daemon timestamp as local date and time plus how long ago, or "never".
	 *
	 * @param mixed $iso ISO 8601 UTC time from rewardd, or null.
	 */
	private static function when( $iso ): string {
		$time = is_string( $iso ) ? strtotime( $iso ) : false;
		if ( false === $time ) {
			return __( 'never', 'rewardd' );
		}
		$format = get_option( 'date_format' ) . ' ' . get_option( 'time_format' );
		/* translators: 1: date and time, 2: time span such as "5 mins" */
		return sprintf( __( '%1$s (%2$s ago)', 'rewardd' ), wp_date( $format, $time ), human_time_diff( $time ) );
	}

	/**
	 * One row of the status table.
	 *
	 * @param string $label Left cell.
	 * @param string $value Right cell.
	 * @param string $state '', 'ok' or 'error', used as a class.
	 */
	private function status_row( string $label, string $value, string $state = '' ): void {
		$colour = 'ok' === $state ? '#00a32a' : ( 'error' === $state ? '#d63638' : 'inherit' );
		printf(
			'<tr><th scope="row">%1$s</th><td class="rewardd-status-%2$s" style="color:%3$s">%4$s</td></tr>',
			esc_html( $label ),
			esc_attr( '' !== $state ? $state : 'info' ),
			esc_attr( $colour ),
			esc_html( $value )
		);
	}
}
