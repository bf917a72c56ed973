<?php
/**
 * My Account > Rewards (endpoint "rewards"): balances, their worth, tier, history, referral
 * link, the Redeem form (handled by Redemption) and the code it gave; all of it only for an
 * address the user has confirmed (EmailVerification), else the button that confirms it.
 * Depends on RewardsReader, passed in.
 *
 * @package Rewardd
 */

namespace Rewardd;

defined( 'ABSPATH' ) || exit;

/**
 * The customer's Rewards tab.
 */
final class AccountTab {

	const ENDPOINT = 'rewards';

	/**
	 * Cached reads.
	 *
	 * @var RewardsReader
	 */
	private $reader;

	/**
	 * Builds the tab.
	 *
	 * @param RewardsReader $reader Cached reads.
	 */
	public function __construct( RewardsReader $reader ) {
		$this->reader = $reader;
	}

	/**
	 * Hooks the endpoint, the menu entry and the content (the form is Redemption's).
	 */
	public function register(): void {
		add_action( 'init', array( self::class, 'add_endpoint' ) );
		add_filter( 'woocommerce_get_query_vars', array( $this, 'add_query_var' ) );
		add_filter( 'woocommerce_account_menu_items', array( $this, 'add_menu_item' ) );
		add_filter( 'woocommerce_endpoint_' . self::ENDPOINT . '_title', array( $this, 'title' ) );
		add_action( 'woocommerce_account_' . self::ENDPOINT . '_endpoint', array( $this, 'render' ) );
	}

	/**
	 * Registers /my-account/rewards/.
	 */
	public static function add_endpoint(): void {
		add_rewrite_endpoint( self::ENDPOINT, EP_ROOT | EP_PAGES );
	}

	/**
	 * Tells WooCommerce about the endpoint.
	 *
	 * @param array<string, string> $vars Query vars.
	 * @return array<string, string>
	 */
	public function add_query_var( $vars ) {
		$vars[ self::ENDPOINT ] = self::ENDPOINT;
		return $vars;
	}

	/**
	 * Adds "Rewards" before "Log out".
	 *
	 * @param array<string, string> $items Menu items.
	 * @return array<string, string>
	 */
	public function add_menu_item( $items ) {
		$logout = isset( $items['customer-logout'] ) ? array( 'customer-logout' => $items['customer-logout'] ) : array();
		unset( $items['customer-logout'] );
		$items[ self::ENDPOINT ] = __( 'Rewards', 'rewardd' );
		return $items + $logout;
	}

	/**
	 * The endpoint's page title.
	 *
	 * @return string
	 */
	public function title() {
		return __( 'Rewards', 'rewardd' );
	}

	/**
	 * Prints the tab.
	 */
	public function render(): void {
		$user = wp_get_current_user();
		if ( ! $user->exists() ) {
			return;
		}
		echo '<div class="rewardd-account">';
		$this->render_flash( (int) $user->ID );
		$email = EmailVerification::verified_email( $user );
		if ( '' === $email ) {
			$this->render_unverified( (string) $user->user_email );
			echo '</div>';
			return;
		}
		$account = $this->reader->customer( $email );
		if ( null === $account ) {
			echo '<p class="rewardd-unavailable">' . esc_html__( 'Rewards are unavailable right now. Your points are safe; please try again in a little while.', 'rewardd' ) . '</p>';
			$this->render_last_code( (int) $user->ID );
			echo '</div>';
			return;
		}
		$this->render_balance( $account );
		$this->render_tier( $account );
		$this->render_redeem_form( $account, (int) $user->ID );
		$this->render_referral( $email );
		$this->render_history( $account );
		echo '</div>';
	}

	/**
	 * Instead of the rewards of an address the user has not confirmed (it may be someone
	 * else's: WooCommerce lets a user type in any address), the button that mails the link.
	 *
	 * @param string $email The account's address.
	 */
	private function render_unverified( string $email ): void {
		echo '<section class="rewardd-confirm-email"><h3>' . esc_html__( 'Confirm your e-mail address', 'rewardd' ) . '</h3><p>';
		/* translators: %s: e-mail address */
		echo esc_html( sprintf( __( 'Your rewards belong to your e-mail address. To see and redeem them, confirm that %s is yours: we will e-mail you a link.', 'rewardd' ), EmailVerification::normalise( $email ) ) );
		echo '</p>';
		EmailVerification::render_button();
		echo '</section>';
	}

	/**
	 * Shows and forgets the result of the last Redeem (or of the e-mail confirmation).
	 *
	 * @param int $user_id Customer.
	 */
	private function render_flash( int $user_id ): void {
		$flash = get_transient( AccountForm::FLASH . $user_id );
		if ( ! is_array( $flash ) ) {
			return;
		}
		delete_transient( AccountForm::FLASH . $user_id );
		$class = 'success' === $flash['type'] ? 'woocommerce-message rewardd-flash' : 'woocommerce-error rewardd-flash rewardd-flash-error';
		echo '<div class="' . esc_attr( $class ) . '" role="alert">' . esc_html( $flash['message'] ) . '</div>';
	}

	/**
	 * Available and pending points and what they are worth.
	 *
	 * @param array<string, mixed> $account Account from rewardd.
	 */
	private function render_balance( array $account ): void {
		$available = (int) ( $account['available'] ?? 0 );
		$pending   = (int) ( $account['pending'] ?? 0 );
		echo '<section class="rewardd-balance"><h3>' . esc_html__( 'Your points', 'rewardd' ) . '</h3>';
		echo '<p class="rewardd-available"><span class="rewardd-number">' . esc_html( number_format_i18n( $available ) ) . '</span> ' . esc_html__( 'points available', 'rewardd' );
		if ( isset( $account['points_value_minor'], $account['currency'] ) ) {
			/* translators: %s: money amount */
			echo ' <span class="rewardd-worth">' . sprintf( esc_html__( '(worth %s)', 'rewardd' ), Money::format_html( (int) $account['points_value_minor'], (string) $account['currency'] ) ) . '</span>'; // phpcs:ignore WordPress.Security.EscapeOutput.OutputNotEscaped -- format_html escapes.
		}
		echo '</p><p class="rewardd-pending">';
		/* translators: %s: number of points */
		echo esc_html( sprintf( __( '%s points pending: they become available once your orders are final.', 'rewardd' ), number_format_i18n( $pending ) ) );
		echo '</p></section>';
	}

	/**
	 * Tier and what it takes to reach the next one.
	 *
	 * @param array<string, mixed> $account Account from rewardd.
	 */
	private function render_tier( array $account ): void {
		$tier = isset( $account['tier'] ) ? (string) $account['tier'] : '';
		if ( '' === $tier ) {
			return;
		}
		echo '<section class="rewardd-tier"><h3>' . esc_html__( 'Your tier', 'rewardd' ) . '</h3><p>';
		/* translators: %s: tier name */
		echo esc_html( sprintf( __( 'You are %s.', 'rewardd' ), $tier ) );
		$next = $account['next_tier'] ?? null;
		if ( is_array( $next ) && isset( $next['name'], $next['spend_needed_minor'] ) ) {
			$currency = (string) ( $account['currency'] ?? get_option( 'woocommerce_currency', 'USD' ) );
			echo ' ';
			printf(
				/* translators: 1: money amount, 2: tier name */
				esc_html__( 'Spend %1$s more to reach %2$s.', 'rewardd' ),
				Money::format_html( (int) $next['spend_needed_minor'], $currency ), // phpcs:ignore WordPress.Security.EscapeOutput.OutputNotEscaped -- format_html escapes.
				'<strong>' . esc_html( (string) $next['name'] ) . '</strong>'
			);
		} elseif ( null === $next ) {
			echo ' ' . esc_html__( 'That is the top tier.', 'rewardd' );
		}
		echo '</p></section>';
	}

	/**
	 * The Redeem form, and the latest code under it. While a redemption's outcome is unknown
	 * (Redemption::pending()), the form carries its id and points, whatever the balance says
	 * now (rewardd may already have taken them), so pressing Redeem again finishes it.
	 *
	 * @param array<string, mixed> $account Account from rewardd.
	 * @param int                  $user_id Customer.
	 */
	private function render_redeem_form( array $account, int $user_id ): void {
		$available = (int) ( $account['available'] ?? 0 );
		$pending   = Redemption::pending( $user_id );
		echo '<section class="rewardd-redeem"><h3>' . esc_html__( 'Redeem points', 'rewardd' ) . '</h3>';
		if ( $available <= 0 && null === $pending ) {
			echo '<p>' . esc_html__( 'You have no points to redeem yet.', 'rewardd' ) . '</p>';
			$this->render_last_code( $user_id );
			echo '</section>';
			return;
		}
		if ( null !== $pending ) {
			echo '<p class="rewardd-redeem-pending">';
			/* translators: %s: number of points */
			echo esc_html( sprintf( _n( 'Your redemption of %s point could not be confirmed yet. Press Redeem to finish it and see your code; you will not be charged twice.', 'Your redemption of %s points could not be confirmed yet. Press Redeem to finish it and see your code; you will not be charged twice.', $pending['points'], 'rewardd' ), number_format_i18n( $pending['points'] ) ) );
			echo '</p>';
		}
		echo '<form method="post" class="rewardd-redeem-form">';
		wp_nonce_field( Redemption::NONCE );
		echo '<input type="hidden" name="rewardd_action" value="redeem">';
		// One id per form shown: a double submit or a retry redeems once (rewardd is idempotent by it).
		// After a lost answer, the same id and points again until rewardd has answered them for sure.
		echo '<input type="hidden" name="rewardd_redemption_id" value="' . esc_attr( null !== $pending ? $pending['redemption_id'] : Redemption::new_id() ) . '">';
		echo '<label for="rewardd_points">' . esc_html__( 'Points to redeem', 'rewardd' ) . '</label> ';
		if ( null !== $pending ) {
			printf( '<input type="number" id="rewardd_points" name="rewardd_points" min="%1$d" max="%1$d" step="1" value="%1$d" readonly required> ', (int) $pending['points'] );
		} else {
			printf( '<input type="number" id="rewardd_points" name="rewardd_points" min="1" max="%1$d" step="1" value="%1$d" required> ', (int) $available );
		}
		echo '<button type="submit" class="button">' . esc_html__( 'Redeem', 'rewardd' ) . '</button>';
		echo '</form>';
		$this->render_last_code( $user_id );
		echo '</section>';
	}

	/**
	 * The latest code this customer got, so it is not lost after the first view.
	 *
	 * @param int $user_id Customer.
	 */
	private function render_last_code( int $user_id ): void {
		$last = get_user_meta( $user_id, Redemption::LAST_CODE, true );
		if ( ! is_array( $last ) || empty( $last['code'] ) ) {
			return;
		}
		echo '<p class="rewardd-last-code">' . esc_html__( 'Your latest code:', 'rewardd' ) . ' <code>' . esc_html( $last['code'] ) . '</code>';
		if ( ! empty( $last['currency'] ) ) {
			echo ' ' . Money::format_html( (int) $last['amount_minor'], (string) $last['currency'] ); // phpcs:ignore WordPress.Security.EscapeOutput.OutputNotEscaped -- format_html escapes.
			if ( ! empty( $last['minimum'] ) ) {
				// The code carries the shop's cart share as a minimum order: say so before checkout does.
				/* translators: %s: amount, e.g. 12.00 NOK */
				echo ' ' . sprintf( esc_html__( 'on orders from %s', 'rewardd' ), Money::format_html( (int) $last['minimum'], (string) $last['currency'] ) ); // phpcs:ignore WordPress.Security.EscapeOutput.OutputNotEscaped -- escaped parts.
			}
		}
		if ( ! empty( $last['expires_at'] ) ) {
			/* translators: %s: expiry date */
			echo ' ' . esc_html( sprintf( __( '(valid until %s)', 'rewardd' ), $last['expires_at'] ) );
		}
		echo '</p>';
	}

	/**
	 * The referral link, when rewardd gives a code.
	 *
	 * @param string $email Customer e-mail.
	 */
	private function render_referral( string $email ): void {
		$code = $this->reader->referral_code( $email );
		if ( null === $code ) {
			return;
		}
		echo '<section class="rewardd-referral"><h3>' . esc_html__( 'Invite a friend', 'rewardd' ) . '</h3>';
		echo '<p>' . esc_html__( 'Share this link: your friend gets a welcome discount and you earn a reward after their first order.', 'rewardd' ) . '</p>';
		printf(
			'<input type="text" class="rewardd-referral-link" readonly value="%1$s" aria-label="%2$s" onclick="this.select()">',
			esc_attr( Referral::link( $code ) ),
			esc_attr__( 'Your referral link', 'rewardd' )
		);
		echo '</section>';
	}

	/**
	 * Recent ledger entries.
	 *
	 * @param array<string, mixed> $account Account from rewardd.
	 */
	private function render_history( array $account ): void {
		$history = isset( $account['history'] ) && is_array( $account['history'] ) ? $account['history'] : array();
		echo '<section class="rewardd-history"><h3>' . esc_html__( 'History', 'rewardd' ) . '</h3>';
		if ( empty( $history ) ) {
			echo '<p>' . esc_html__( 'No activity yet.', 'rewardd' ) . '</p></section>';
			return;
		}
		echo '<table class="shop_table rewardd-history-table"><thead><tr><th>' . esc_html__( 'Date', 'rewardd' ) . '</th><th>' . esc_html__( 'What', 'rewardd' ) . '</th><th>' . esc_html__( 'Points', 'rewardd' ) . '</th></tr></thead><tbody>';
		foreach ( $history as $entry ) {
			if ( ! is_array( $entry ) ) {
				continue;
			}
			$points = (int) ( $entry['points'] ?? 0 );
			if ( 0 === $points ) {
				continue; // Tier changes, cashback and code bookkeeping move no points.
			}
			$date = (string) ( $entry['effective_at'] ?? $entry['at'] ?? '' );
			$what = self::describe_entry( $entry );
			printf(
				'<tr><td>%1$s</td><td>%2$s</td><td class="rewardd-points-%3$s">%4$s</td></tr>',
				esc_html( '' !== $date ? mysql2date( get_option( 'date_format' ), $date ) : '' ),
				esc_html( $what ),
				esc_attr( $points < 0 ? 'minus' : 'plus' ),
				esc_html( ( $points > 0 ? '+' : '' ) . number_format_i18n( $points ) )
			);
		}
		echo '</tbody></table></section>';
	}

	/**
	 * A customer-facing line for one ledger entry of GET /api/v1/customers/{email} (docs/API.md):
	 * its kind and order, or the reason of a manual adjustment.
	 *
	 * @param array<string, mixed> $entry History entry.
	 */
	private static function describe_entry( array $entry ): string {
		if ( isset( $entry['description'] ) ) {
			return (string) $entry['description'];
		}
		$order = (string) ( $entry['order'] ?? '' );
		switch ( (string) ( $entry['kind'] ?? '' ) ) {
			case 'earn_pending':
				/* translators: %s: order number */
				return sprintf( __( 'Order #%s', 'rewardd' ), $order );
			case 'release':
				/* translators: %s: order number */
				return sprintf( __( 'Order #%s: points now available', 'rewardd' ), $order );
			case 'claw_back':
				/* translators: %s: order number */
				return sprintf( __( 'Order #%s: refund', 'rewardd' ), $order );
			case 'reverse':
				/* translators: %s: order number */
				return sprintf( __( 'Order #%s: cancelled or refunded', 'rewardd' ), $order );
			case 'referral_reward':
				return __( 'Referral reward', 'rewardd' );
			case 'expire':
				return __( 'Points expired', 'rewardd' );
			case 'reserve':
				return __( 'Redeemed for a discount code', 'rewardd' );
			case 'reserve_release':
				return __( 'Unused discount code expired: points returned', 'rewardd' );
			case 'adjust':
				$reason = (string) ( $entry['reason'] ?? '' );
				/* translators: %s: the reason the shop gave */
				return '' !== $reason ? sprintf( __( 'Adjustment: %s', 'rewardd' ), $reason ) : __( 'Adjustment', 'rewardd' );
			default:
				return (string) ( $entry['reason'] ?? '' );
		}
	}
}
