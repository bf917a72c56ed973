<?php
/**
 * Money as integer minor units, the way rewardd counts it (NOK 398.00 is 39800, JPY 500 is 500).
 * Pure helpers; the only WordPress/WooCommerce call is the optional wc_price for display.
 *
 * @package Rewardd
 */

namespace Rewardd;

defined( 'ABSPATH' ) || exit;

/**
 * Conversions between WooCommerce's decimal amounts and minor units.
 */
final class Money {

	/**
	 * ISO 4217 currencies with no minor unit.
	 */
	const SCALE_0 = array( 'BIF', 'BYR', 'CLP', 'DJF', 'GNF', 'ISK', 'JPY', 'KMF', 'KRW', 'PYG', 'RWF', 'UGX', 'UYI', 'VND', 'VUV', 'XAF', 'XOF', 'XPF' );

	/**
	 * ISO 4217 currencies with three decimals.
	 */
	const SCALE_3 = array( 'BHD', 'IQD', 'JOD', 'KWD', 'LYD', 'OMR', 'TND' );

	/**
	 * Number of decimals of a currency.
	 *
	 * @param string $currency ISO 4217 code.
	 */
	public static function scale( string $currency ): int {
		$code = strtoupper( $currency );
		if ( in_array( $code, self::SCALE_0, true ) ) {
			return 0;
		}
		return in_array( $code, self::SCALE_3, true ) ? 3 : 2;
	}

	/**
	 * A decimal amount (string or number, as WooCommerce gives it) in minor units, half up.
	 *
	 * @param string|int|float $amount   Amount such as "19.99".
	 * @param string           $currency ISO 4217 code.
	 */
	public static function to_minor( $amount, string $currency ): int {
		$scale = self::scale( $currency );
		$text  = is_string( $amount ) && preg_match( '/^-?\d+(\.\d+)?$/', $amount ) ? $amount : sprintf( '%.6F', (float) $amount );
		$sign  = 0 === strpos( $text, '-' ) ? -1 : 1;
		$text  = ltrim( $text, '-' );
		$parts = explode( '.', $text . '.' );
		$whole = $parts[0];
		$frac  = str_pad( $parts[1], $scale + 1, '0' );
		$minor = (int) ( $whole . substr( $frac, 0, $scale ) );
		if ( (int) $frac[ $scale ] >= 5 ) {
			++$minor;
		}
		return $sign * $minor;
	}

	/**
	 * Minor units as safe HTML for display (WooCommerce's wc_price when present).
	 *
	 * @param int    $minor    Amount in minor units.
	 * @param string $currency ISO 4217 code.
	 */
	public static function format_html( int $minor, string $currency ): string {
		$scale   = self::scale( $currency );
		$decimal = $minor / ( 10 ** $scale );
		if ( function_exists( 'wc_price' ) ) {
			return wp_kses_post(
				wc_price(
					$decimal,
					array(
						'currency' => strtoupper( $currency ),
						'decimals' => $scale,
					)
				)
			);
		}
		return esc_html( number_format_i18n( $decimal, $scale ) . ' ' . strtoupper( $currency ) );
	}

	/**
	 * Minor units as plain text, as format_html() shows them, for a message escaped as a whole.
	 *
	 * @param int    $minor    Amount in minor units.
	 * @param string $currency ISO 4217 code.
	 */
	public static function format_text( int $minor, string $currency ): string {
		return trim( html_entity_decode( wp_strip_all_tags( self::format_html( $minor, $currency ) ), ENT_QUOTES, 'UTF-8' ) );
	}
}
