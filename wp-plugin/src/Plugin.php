<?php
/**
 * Composition root: builds each piece once, passes its dependencies in and hooks it.
 * Without WooCommerce it only shows the notice and does nothing else.
 *
 * @package Rewardd
 */

namespace Rewardd;

defined( 'ABSPATH' ) || exit;

/**
 * Wires the plugin together.
 */
final class Plugin {

	/**
	 * Path of rewardd.php.
	 *
	 * @var string
	 */
	private $plugin_file;

	/**
	 * Pieces built by boot(), by name, for tests and other code.
	 *
	 * @var array<string, object>
	 */
	private $services = array();

	/**
	 * Builds the root.
	 *
	 * @param string $plugin_file Path of rewardd.php.
	 */
	public function __construct( string $plugin_file ) {
		$this->plugin_file = $plugin_file;
	}

	/**
	 * Runs on plugins_loaded, when WooCommerce has had its chance to load.
	 */
	public function boot(): void {
		add_action( 'init', array( $this, 'load_textdomain' ), 0 );
		if ( ! class_exists( 'WooCommerce' ) ) {
			$notice = new MissingWooCommerceNotice();
			$notice->register();
			$this->services['missing_woocommerce_notice'] = $notice;
			return;
		}
		global $wpdb;
		$settings = new Settings();
		$api      = new ApiClient( $settings );
		$webhooks = new Webhooks();
		$reader   = new RewardsReader( $api, $settings );
		$coupons  = new CartCoupon();
		$backlog  = new DeliveryBacklog();
		$jobs     = new JobQueue();
		$recovery = new WebhookRecovery( $settings, $backlog, $jobs );

		$this->services = array(
			'settings'     => $settings,
			'api'          => $api,
			'webhooks'     => $webhooks,
			'reader'       => $reader,
			'http_filters' => new HttpFilters( $settings ),
			'connection'   => new Connection( $settings, $api, new ApiKeys( $wpdb ), $webhooks ),
			'referral'     => new Referral(),
			'earn_notice'  => new EarnNotice( $reader ),
			'account_tab'  => new AccountTab( $reader ),
			'cart_coupon'  => $coupons,
			'redemption'   => new Redemption( $api, $reader, $settings, $coupons ),
			'assets'       => new Assets( $this->plugin_file ),
			'recovery'     => $recovery,
			'verification' => new EmailVerification(),
		);
		$this->services['admin_page'] = new AdminPage( $settings, $this->services['connection'], $api, $webhooks, new RecoveryNotices( $settings, $backlog, $jobs ) );
		foreach ( array( 'http_filters', 'referral', 'earn_notice', 'account_tab', 'cart_coupon', 'redemption', 'assets', 'recovery', 'verification', 'admin_page' ) as $name ) {
			$this->services[ $name ]->register();
		}
	}

	/**
	 * Loads translations.
	 */
	public function load_textdomain(): void {
		load_plugin_textdomain( 'rewardd', false, dirname( plugin_basename( $this->plugin_file ) ) . '/languages' );
	}

	/**
	 * A piece built by boot(), or null.
	 *
	 * @param string $name Service name.
	 */
	public function service( string $name ): ?object {
		return $this->services[ $name ] ?? null;
	}
}
