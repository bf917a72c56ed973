<?php
/**
 * Test stub (not WooCommerce): the WooCommerce main class, its init sequence
 * (before_woocommerce_init, woocommerce_init on init priority 0), the admin menu the
 * plugin's page hangs under, and the tables and capabilities the plugin relies on.
 *
 * @package Rewardd\Tests
 */

/**
 * Stub of the WooCommerce singleton.
 */
final class WooCommerce {

	/**
	 * The instance.
	 *
	 * @var WooCommerce|null
	 */
	private static $instance = null;

	/**
	 * The cart (WC()->cart).
	 *
	 * @var WC_Cart
	 */
	public $cart;

	/**
	 * Version string.
	 *
	 * @var string
	 */
	public $version = '9.4.0-stub';

	/**
	 * The singleton.
	 */
	public static function instance(): self {
		if ( null === self::$instance ) {
			self::$instance = new self();
		}
		return self::$instance;
	}

	/**
	 * Hooks what WooCommerce hooks at load.
	 */
	private function __construct() {
		$this->cart = new WC_Cart();
		add_action( 'init', array( $this, 'init' ), 0 );
		add_action( 'init', array( $this, 'register_endpoints' ), 10 );
		add_filter( 'query_vars', array( $this, 'add_query_vars' ) );
		add_action( 'admin_menu', array( $this, 'admin_menu' ), 9 );
		add_shortcode( 'woocommerce_my_account', 'wc_stub_my_account_shortcode' );
	}

	/**
	 * WooCommerce::init(): the two actions around WooCommerce's own set-up.
	 */
	public function init(): void {
		do_action( 'before_woocommerce_init' );
		register_taxonomy( 'product_cat', array( 'product' ), array( 'public' => true ) );
		register_post_type( 'product', array( 'public' => true, 'label' => 'Products', 'menu_icon' => 'dashicons-archive' ) );
		do_action( 'woocommerce_init' );
	}

	/**
	 * Whether this is a REST API request, the Store API of the block cart included; as
	 * WooCommerce decides it, by the request URI.
	 */
	public function is_rest_api_request(): bool {
		$uri = isset( $_SERVER['REQUEST_URI'] ) ? (string) $_SERVER['REQUEST_URI'] : ''; // phpcs:ignore
		return false !== strpos( $uri, trailingslashit( rest_get_url_prefix() ) );
	}

	/**
	 * My Account endpoints, including extensions' (woocommerce_get_query_vars).
	 *
	 * @return array<string, string>
	 */
	public function get_query_vars(): array {
		return apply_filters(
			'woocommerce_get_query_vars',
			array(
				'orders'          => 'orders',
				'edit-account'    => 'edit-account',
				'customer-logout' => 'customer-logout',
			)
		);
	}

	/**
	 * Rewrite endpoints for the query vars.
	 */
	public function register_endpoints(): void {
		foreach ( $this->get_query_vars() as $var ) {
			add_rewrite_endpoint( $var, EP_ROOT | EP_PAGES );
		}
	}

	/**
	 * Public query vars.
	 *
	 * @param string[] $vars Vars.
	 * @return string[]
	 */
	public function add_query_vars( $vars ) {
		return array_merge( $vars, array_values( $this->get_query_vars() ) );
	}

	/**
	 * The top-level WooCommerce menu.
	 */
	public function admin_menu(): void {
		add_menu_page( 'WooCommerce', 'WooCommerce', 'edit_others_shop_orders', 'woocommerce', '__return_null', 'dashicons-cart', 55 );
		add_submenu_page( 'woocommerce', 'Orders', 'Orders', 'manage_woocommerce', 'wc-orders', '__return_null' );
	}

	/**
	 * Activation: tables, roles, capabilities, pages — the parts the plugin relies on.
	 */
	public static function install(): void {
		global $wpdb;
		require_once ABSPATH . 'wp-admin/includes/upgrade.php';
		$collate = $wpdb->get_charset_collate();
		dbDelta(
			"CREATE TABLE {$wpdb->prefix}woocommerce_api_keys (
  key_id BIGINT UNSIGNED NOT NULL auto_increment,
  user_id BIGINT UNSIGNED NOT NULL,
  description varchar(200) NULL,
  permissions varchar(10) NOT NULL,
  consumer_key char(64) NOT NULL,
  consumer_secret char(43) NOT NULL,
  nonces longtext NULL,
  truncated_key char(7) NOT NULL,
  last_access datetime NULL default null,
  PRIMARY KEY  (key_id),
  KEY consumer_key (consumer_key),
  KEY consumer_secret (consumer_secret)
) $collate;
CREATE TABLE {$wpdb->prefix}wc_webhooks (
  webhook_id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  status varchar(200) NOT NULL,
  name text NOT NULL,
  user_id BIGINT UNSIGNED NOT NULL,
  delivery_url text NOT NULL,
  secret text NOT NULL,
  topic varchar(200) NOT NULL,
  date_created datetime NOT NULL default '0000-00-00 00:00:00',
  date_created_gmt datetime NOT NULL default '0000-00-00 00:00:00',
  date_modified datetime NOT NULL default '0000-00-00 00:00:00',
  date_modified_gmt datetime NOT NULL default '0000-00-00 00:00:00',
  api_version smallint(4) NOT NULL,
  failure_count smallint(10) NOT NULL default '0',
  pending_delivery tinyint(1) NOT NULL default '0',
  PRIMARY KEY  (webhook_id),
  KEY user_id (user_id)
) $collate;
CREATE TABLE {$wpdb->prefix}wc_orders (
  id bigint(20) unsigned NOT NULL auto_increment,
  status varchar(20) NULL,
  currency varchar(10) NULL,
  customer_id bigint(20) unsigned NULL,
  billing_email varchar(320) NULL,
  date_created_gmt datetime NULL,
  date_updated_gmt datetime NULL,
  PRIMARY KEY  (id)
) $collate;
CREATE TABLE {$wpdb->prefix}wc_orders_meta (
  id bigint(20) unsigned NOT NULL auto_increment,
  order_id bigint(20) unsigned NULL,
  meta_key varchar(255),
  meta_value text NULL,
  PRIMARY KEY  (id),
  KEY order_id (order_id)
) $collate;"
		);
		add_role( 'customer', 'Customer', array( 'read' => true ) );
		add_role( 'shop_manager', 'Shop manager', array( 'read' => true, 'manage_woocommerce' => true, 'edit_others_shop_orders' => true ) );
		$admin = get_role( 'administrator' );
		if ( $admin ) {
			$admin->add_cap( 'manage_woocommerce' );
			$admin->add_cap( 'edit_others_shop_orders' );
		}
		add_option( 'woocommerce_currency', 'NOK' );
		add_option( 'woocommerce_custom_orders_table_enabled', 'yes' );
		if ( ! get_option( 'woocommerce_myaccount_page_id' ) ) {
			$page_id = wp_insert_post(
				array(
					'post_type'    => 'page',
					'post_status'  => 'publish',
					'post_title'   => 'My account',
					'post_name'    => 'my-account',
					'post_content' => '<!-- wp:shortcode -->[woocommerce_my_account]<!-- /wp:shortcode -->',
				)
			);
			update_option( 'woocommerce_myaccount_page_id', $page_id );
		}
	}
}
