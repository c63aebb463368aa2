package io.keisei.trainer.shogi;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Legal move counts of varied midgame and endgame positions (drops, promotions, pins, checks,
 * positions with 0, 1 and 3 legal moves), from the perft fixtures of an independent shogi library.
 * They exercise far more rules per position than the opening does.
 */
class MidgamePerftTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', value = {
        "1r7/lpk4pg/4p1s1+P/2pp4l/1P1N2p2/3PK1n1p/+p3PR2L/L2GGp3/2S2S3 w BGS2N2Pb3p 122; 95",
        "1r2g1s2/l3sk3/2n3g1l/L4b2p/1ppPn1PNN/1g2p4/P4+p1+pP/2K4GL/2B+s5 w 3Prs5p 102; 187",
        "1n2kgb2/2rs4l/lgp5n/pp3ppp1/P1PppP1P1/3P3Rp/LP2P1G1P/2GSK2SL/1NB3SN1 b p 51; 37",
        "2g1r3+P/1rSsk1+P2/2+P4+Np/L2B3l1/1N6S/4pp1pL/4P1P1+p/p1SKBG3/2g6 w G2NL7P 146; 34",
        "4kg3/lrs6/1p2+Pgnsl/p2P4p/1P2bpp2/P1p2PPP1/5K2P/L2SG2RL/1NBG1S3 b 2N2P2p 63; 84",
        "7g1/+L2p1bpnl/3ks4/1n6s/1n1P2PR1/2+p5p/1+p1GR3+n/1BS3SPL/2P2K3 b 2G5Pl4p 127; 133",
        "2rg5/l3k1s1l/+P3g1b2/1ps2pp1p/2S2NPpP/p1ppPP3/N1+n4+n1/1BGPG2SL/L2K5 w r4p 102; 104",
        "9/1g+S3s2/2pkg1b2/lr4Pp1/rp1PSP3/2PSK2Pp/LPN1PG+n2/8P/P3b1+pN1 b 2Pgn2l2p 143; 31",
        "3rk1g1b/1sp3P1P/+N1+P1+Pgs2/PP5pp/3p2prL/p3pp1bl/L1N1+n1S2/3SG1G1L/2P2K3 w 2Pnp 128; 89",
        "2gk3n1/2r2+S3/2g1p4/lP3P1pl/S2NPspP1/p1ppB3p/+n1P1G+pN1P/L+p1K4L/3PG1SR1 w b2p 100; 100",
        "1pgkg4/l+N4s1l/n5+P1n/1Ps1p2pP/2p4N1/p2pP4/P+pS2K1Pp/LB4pGR/3GS3L b RB3P 81; 161",
        "1+P1k2b2/l4gs2/psrgp1n1p/6p1l/Pppp1p1p1/5PP1L/N1P1PG3/LPS2RS2/3G1KBN1 w N2p 76; 33",
        "4n1s2/1k6l/3+PS+Pb1+P/lg4gp1/PnPP3P1/L1+p1pGPRL/3p1+n3/p2SP1S1R/1N+p1KG3 w 3Pb 140; 102",
        "1p2kg1n1/s+N1+P1s2l/5l2b/pB3pPP1/lP3N3/2NpSg1RL/+pS1P2+p2/3G5/4KG3 w R4P3p 116; 0",
        "2s1g4/3gk1+P2/1pr3sp1/1P1P1P3/l6nl/2+p1p1B2/+p2GPNR+p+p/L2BKSP2/PS1N1G2P b nl3p 131; 45",
        "4ggbsl/l1sk5/nr1p1pn2/1p2p1pp1/1P1n1P1Pp/P1PPP3P/B2GS1P+pN/L7R/2SG2K1L b P 57; 41",
        "4p4/l+B1g1k2l/nn2s1bP1/1sP2P1R1/P1SpP1Rn1/3PG4/L+p3G1+p+p/5+l3/K1+p6 w Pgsn5p 144; 222",
        "+P1g+Ppsbn1/7r1/ls3p2l/1PgkP1ppp/p2N1PP2/L7P/N+p1+p2NP1/1B1G2K1R/3SS3L w Pgp 96; 109",
        "4gk3/2gs+P1pb1/1r2p1+Ppl/lp6p/1n3p1P1/2p2P2P/LPP1PSN1S/1S4GRL/1N4K2 w 3Pbgn 68; 3",
        "1+P5+P1/lPpk1sgP1/2s1+P+P3/P7l/1p2+b1P1P/pBgg2Np1/+p5RnL/3K1+p3/6RN1 w SL2Pgsnp 150; 3",
        "2p1g3b/3+P1ps2/+P2skg3/2PP1P1Pl/3n1LP2/1p1Gp3p/N3P1+n2/L1G2KSRL/1RBS5 b 4Pnp 111; 6",
        "6g2/1+N2lgs1l/l+Pkp+Bp2b/5P1p1/2pnP1PNp/2PP3P1/L3S2+n1/5RS2/2G1K1G1P w RS5P 80; 1",
        "3k2b2/1r1s1g2l/l2gs2+P1/1P6P/p1ppB4/2GPPKgp1/l4PNPL/+nS4R2/NN4S2 b 6Pp 97; 3",
        "6k2/2r2p3/2+Np+N+Pp1g/2sP5/2pg4L/1p+n1pL1p1/1+p4K2/+lR4S1p/B6G1 b BGS4Psnl3p 149; 245",
        "3g1ps2/2sk1r2l/lpn4pb/PP1P1Pp1P/2P3Pn1/L2pp3p/2N5N/2GKR3L/1SBGG1S2 b 3Pp 79; 43",
        "+P+R1+Lg1kn1/1+P1s3g1/5+P1+P1/Pp2gPnPl/L8/SPP2Sp2/+b2K1G1p1/4P4/5+p+pNL w NPrbs2p 148; 221",
        "3g4b/4gr2l/l1s3n2/1PPp1sksp/2pP1Pn1P/4p2p1/1+p1+p1+p2L/3G4K/2S1+p2NB w rgnl4p 130; 270",
        "2s3+N2/lp3ks2/1g1p1gnp1/2P2PpP1/1P1nB1P1p/2L5P/+p2PSpNR1/L3GGS1L/4K4 w RB4P 90; 36",
        "5g1+Pb/L2s5/l4kNGN/l1gPp3P/lr2PpP1B/3N5/+p1G+n5/1+pps1S2R/+p7K w 2Ps5p 130; 134",
        "1nk1g4/1r4+P1+P/l2s3+P1/4p4/P1PPP2n1/2p2p3/+p+p3G3/1B2G3R/1+s2K1+b1L b GSL2Ps2nl4p 97; 227",
        "l4kg1l/r3s4/2nP2n+P1/3pgs3/Pp3pPpP/1B1b1Sp2/LPpGrP2N/2PKG2P1/SN2P3L w 2p 94; 62",
    })
    void legalMoveCount(String sfen, int expected) {
        Position p = Position.fromSfen(sfen);
        MoveList moves = new MoveList();
        p.legalMoves(moves);
        assertThat(moves.size()).isEqualTo(expected);
        assertThat(p.hasLegalMove()).isEqualTo(expected > 0);
    }
}
