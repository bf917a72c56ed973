<?php
/**
 * The Redeem button: POST /api/v1/redeem (docs/API.md) for the signed-in customer, with the
 * form's redemption id so a double submit or a retry never redeems twice, and the open cart's
 * total so rewardd can apply its cart-share rule. Shows the code (post/redirect/get with a
 * flash message) and hands it to CartCoupon. An explicit customer action, so it calls rewardd
 * directly with a short timeout. When the answer is lost (no answer, the timeout, a 5xx other
 * than storage_unavailable) rewardd may have redeemed all the same: the redemption id and points
 * stay in user meta and the next form carries them, so pressing Redeem again gets rewardd's first
 * outcome (the code) instead of a second coupon. Only for a confirmed address (EmailVerification).
 * Depends on ApiClient, RewardsReader, Settings, CartCoupon.
 *
 * @package Rewardd
 */

namespace Rewardd;

defined( 'ABSPATH' ) || exit;

/**
 * Handles the Redeem form.
 */
final class Redemption {

	const NONCE     = 'rewardd_redeem';
	const LAST_CODE = 'rewardd_last_code';
	const PENDING   = 'rewardd_pending_redemption';

	/**
	 * Daemon client.
	 *
	 * @var ApiClient
	 */
	private $api;

	/**
	 * Cached reads (forgotten after a redemption).
	 *
	 * @var RewardsReader
	 */
	private $reader;

	/**
	 * Stored settings (shop id).
	 *
	 * @var Settings
	 */
	private $settings;

	/**
	 * Applies codes to the cart.
	 *
	 * @var CartCoupon
	 */
	private $cart_coupon;

	/**
	 * Builds the handler.
	 *
	 * @param ApiClient     $api         Daemon client.
	 * @param RewardsReader $reader      Cached reads.
	 * @param Settings      $settings    Stored settings.
	 * @param CartCoupon    $cart_coupon Cart applier.
	 */
	public function __construct( ApiClient $api, RewardsReader $reader, Settings $settings, CartCoupon $cart_coupon ) {
		$this->api         = $api;
		$this->reader      = $reader;
		$this->settings    = $settings;
		$this->cart_coupon = $cart_coupon;
	}

	/**
	 * Hooks the form handler (after WooCommerce has loaded the cart).
	 */
	public function register(): void {
		add_action( 'wp_loaded', array( $this, 'handle_form' ), 20 );
	}

	/**
	 * A fresh redemption id for one form: rewardd accepts [A-Za-z0-9_.-], up to 100.
	 */
	public static function new_id(): string {
		return 'wp-' . wp_generate_uuid4();
	}

	/**
	 * The redemption whose outcome is unknown (its answer was lost), or null. Until rewardd
	 * answers it for sure, every Redeem form carries this id and these points.
	 *
	 * @param int $user_id Customer.
	 * @return array{redemption_id: string, points: int}|null
	 */
	public static function pending( int $user_id ): ?array {
		$pending = get_user_meta( $user_id, self::PENDING, true );
		if ( ! is_array( $pending ) || ! isset( $pending['redemption_id'], $pending['points'] ) ) {
			return null;
		}
		$id     = (string) $pending['redemption_id'];
		$points = (int) $pending['points'];
		if ( '' === $id || self::sanitize_id( $id ) !== $id || $points <= 0 ) {
			return null;
		}
		return array(
			'redemption_id' => $id,
			'points'        => $points,
		);
	}

	/**
	 * Handles the Redeem form: nonce, logged-in user, a positive number of points. While a
	 * redemption's outcome is unknown, any submit finishes that one (its id and points), so a
	 * form from another tab cannot start a second redemption next to it.
	 */
	public function handle_form(): void {
		$user = AccountForm::submitter( 'redeem', self::NONCE );
		if ( null === $user ) {
			return;
		}
		// phpcs:disable WordPress.Security.NonceVerification.Missing -- AccountForm verified it.
		$points = isset( $_POST['rewardd_points'] ) ? absint( wp_unslash( $_POST['rewardd_points'] ) ) : 0;
		$id     = isset( $_POST['rewardd_redemption_id'] ) ? self::sanitize_id( sanitize_text_field( wp_unslash( $_POST['rewardd_redemption_id'] ) ) ) : '';
		// phpcs:enable
		$pending = self::pending( (int) $user->ID );
		if ( null !== $pending ) {
			$points = $pending['points'];
			$id     = $pending['redemption_id'];
		}
		$flash = $points > 0 ? $this->redeem( $user, $points, '' !== $id ? $id : self::new_id() ) : array(
			'type'    => 'error',
			'message' => __( 'Enter how many points to redeem.', 'rewardd' ),
		);
		AccountForm::finish( (int) $user->ID, $flash );
	}

	/**
	 * Asks rewardd for a coupon, keeps it as the customer's latest code and puts it in the cart;
	 * refuses without asking unless the user has confirmed their address (EmailVerification),
	 * which could otherwise be a guest customer's they typed into their account.
	 * The id and points are kept as pending before asking and until rewardd answers for sure
	 * (a code, or a refusal): a lost answer leaves them for the next form. An answer that only
	 * says this request was not looked at (see outcome()) clears them on a first try, but not on
	 * a retry: the lost try before it may still have redeemed.
	 *
	 * @param \WP_User $user          Customer.
	 * @param int      $points        Points to redeem.
	 * @param string   $redemption_id Idempotency key (see new_id()).
	 * @return array{type: string, message: string}
	 */
	public function redeem( \WP_User $user, int $points, string $redemption_id ): array {
		$email = EmailVerification::verified_email( $user );
		if ( '' === $email ) {
			return array(
				'type'    => 'error',
				'message' => __( 'Confirm your e-mail address first: rewards are shown and redeemed only for an address you have confirmed. Nothing was redeemed.', 'rewardd' ),
			);
		}
		$currency = function_exists( 'get_woocommerce_currency' ) ? get_woocommerce_currency() : '';
		$body     = array(
			'shop'           => $this->settings->shop_id(),
			'customer_email' => $email,
			'points'         => $points,
			'redemption_id'  => $redemption_id,
			'currency'       => strtoupper( (string) $currency ),
		);
		$cart_total = self::cart_total_minor( (string) $currency );
		if ( null !== $cart_total ) {
			$body['cart_total'] = $cart_total;
		}
		$pending = array(
			'redemption_id' => $redemption_id,
			'points'        => $points,
		);
		$retry = self::pending( (int) $user->ID ) === $pending;
		// Kept before asking, so even a request that never returns leaves the id for the retry.
		update_user_meta( (int) $user->ID, self::PENDING, $pending );
		$result = $this->api->post( '/api/v1/redeem', $body, ApiClient::WRITE_TIMEOUT_SECONDS );
		$this->reader->forget_customer( $email );
		$coupon  = $result->ok() ? $result->data() : array();
		$code    = Referral::sanitize_code( (string) ( $coupon['code'] ?? '' ) );
		$outcome = self::outcome( $result, $code );
		if ( 'unknown' === $outcome || ( 'untried' === $outcome && $retry ) ) {
			// Written again: a parallel submit of the same form may have cleared it meanwhile.
			update_user_meta( (int) $user->ID, self::PENDING, $pending );
			return array(
				'type'    => 'error',
				'message' => __( 'Your redemption could not be confirmed: your points may already have been redeemed. Press Redeem again to finish it and see your code; you will not be charged twice.', 'rewardd' ),
			);
		}
		delete_user_meta( (int) $user->ID, self::PENDING );
		if ( ! $result->ok() ) {
			return array(
				'type'    => 'error',
				'message' => self::refused( $result ),
			);
		}
		update_user_meta(
			(int) $user->ID,
			self::LAST_CODE,
			array(
				'code'         => $code,
				'amount_minor' => (int) ( $coupon['amount_minor'] ?? 0 ),
				'currency'     => (string) ( $coupon['currency'] ?? '' ),
				'expires_at'   => is_string( $coupon['expires_at'] ?? null ) ? $coupon['expires_at'] : '',
				'minimum'      => (int) ( $coupon['minimum_subtotal_minor'] ?? 0 ),
			)
		);
		$minimum  = (int) ( $coupon['minimum_subtotal_minor'] ?? 0 );
		$currency = (string) ( $coupon['currency'] ?? '' );
		$cart     = $this->cart_coupon->apply_or_remember( (int) $user->ID, $code, $minimum, $currency );
		return array(
			'type'    => 'success',
			'message' => self::success( $cart, $code, Money::format_text( $minimum, $currency ) ),
		);
	}

	/**
	 * What an answer to POST /api/v1/redeem says about the redemption id (docs/API.md):
	 * 'decided' when rewardd looked at it (a code; 409, 400, 404 unknown_shop: nothing reserved),
	 * 'untried' when this request was not looked at, so it stored nothing (not configured, 503
	 * storage_unavailable, 401, 403, 429 and other answers before the route), and 'unknown' when
	 * rewardd may or may not have redeemed (no answer: the timeout, a reset connection; any
	 * other 5xx; a 2xx without a code).
	 *
	 * @param ApiResult $result Result of POST /api/v1/redeem.
	 * @param string    $code   The code it gave, sanitized ('' if none).
	 * @return string 'decided', 'untried' or 'unknown'.
	 */
	private static function outcome( ApiResult $result, string $code ): string {
		if ( $result->ok() ) {
			return '' !== $code ? 'decided' : 'unknown';
		}
		if ( ! $result->answered() ) {
			return ApiResult::NOT_CONFIGURED === $result->error() ? 'untried' : 'unknown';
		}
		$status = $result->status();
		if ( $status >= 500 ) {
			return 'storage_unavailable' === $result->error() ? 'untried' : 'unknown';
		}
		if ( 409 === $status || 400 === $status || ( 404 === $status && 'unknown_shop' === $result->error() ) ) {
			return 'decided';
		}
		return 'untried';
	}

	/**
	 * The sentence for a code, by what happened with the cart.
	 *
	 * @param string $cart    'applied', 'pending', 'below_minimum' or 'no_cart' (CartCoupon).
	 * @param string $code    Coupon code.
	 * @param string $minimum The code's minimum order, as text.
	 */
	private static function success( string $cart, string $code, string $minimum ): string {
		switch ( $cart ) {
			case 'below_minimum':
				/* translators: 1: coupon code, 2: minimum order, e.g. 60.00 EUR */
				return sprintf( __( 'Your code is %1$s. It applies to orders from %2$s and goes into your cart once yours reaches that.', 'rewardd' ), $code, $minimum );
			case 'applied':
				/* translators: %s: coupon code */
				return sprintf( __( 'Your code %s has been applied to your cart.', 'rewardd' ), $code );
			case 'pending':
				/* translators: %s: coupon code */
				return sprintf( __( 'Your code is %s. It will be applied to your cart in a moment.', 'rewardd' ), $code );
			default:
				/* translators: %s: coupon code */
				return sprintf( __( 'Your code is %s. Enter it at checkout.', 'rewardd' ), $code );
		}
	}

	/**
	 * A sentence for a refused or failed redemption (docs/API.md error ids).
	 *
	 * @param ApiResult $result Failed result.
	 */
	private static function refused( ApiResult $result ): string {
		switch ( $result->error() ) {
			case 'insufficient_points':
				return __( 'You do not have that many points available.', 'rewardd' );
			case 'below_minimum_redemption':
				return __( 'That is below the minimum number of points you can redeem.', 'rewardd' );
			case 'exceeds_cart_share':
				return __( 'That is more than can be paid with points for the cart you have open. Redeem fewer points.', 'rewardd' );
			case 'exists_with_different_content':
				return __( 'That form was already used. Please try again.', 'rewardd' );
			default:
				return __( 'Rewards are unavailable right now, nothing was redeemed. Please try again later.', 'rewardd' );
		}
	}

	/**
	 * The open cart's total (lines after discounts, without tax) in minor units, or null.
	 *
	 * @param string $currency Shop currency.
	 */
	private static function cart_total_minor( string $currency ): ?int {
		$cart = function_exists( 'WC' ) && WC() ? WC()->cart : null;
		if ( ! $cart || $cart->is_empty() ) {
			return null;
		}
		return (int) array_sum( array_column( QuoteBuilder::from_cart( $cart, $currency, '' )['lines'], 'total' ) );
	}

	/**
	 * Keeps the characters rewardd accepts in a redemption id.
	 *
	 * @param string $raw Posted value.
	 */
	private static function sanitize_id( string $raw ): string {
		return substr( (string) preg_replace( '/[^A-Za-z0-9_.-]/', '', $raw ), 0, 100 );
	}
}
