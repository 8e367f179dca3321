package dev.weft.net.crypto;

import java.util.HexFormat;

/** Test vectors from the wire digest §9 (computed with the js-libp2p packages). */
final class Vectors {
  static final String ED_PRIV_PB = "080112407e0830617c4a7de83925dfb2694556b12936c477a0e1feb2e148ec9da60fee7d"
      + "1ed1e8fae2c4a144b8be8fd4b47bf3d3b34b871c3cacf6010f0e42d474fce27e";
  static final String ED_PUB_PB =
      "080112201ed1e8fae2c4a144b8be8fd4b47bf3d3b34b871c3cacf6010f0e42d474fce27e";
  static final String ED_PEER_MH =
      "0024080112201ed1e8fae2c4a144b8be8fd4b47bf3d3b34b871c3cacf6010f0e42d474fce27e";
  static final String ED_PEER_B58 = "12D3KooWBtg3aaRMjxwedh83aGiUkwSxDwUZkzuJcfaqUmo7R3pq";
  static final String SECP_PUB_PB =
      "08021221037777e994e452c21604f91de093ce415f5432f701dd8cd1a7a6fea0e630bfca99";
  static final String SECP_PEER_B58 = "16Uiu2HAmLhLvBoYaoZfaMUKuibM6ac163GwKY74c5kiSLg5KvLpY";
  static final String NOISE_SIG =
      "6748f6f4c32e36aa2ef8df283a99a76275a9358b224844c53ced6ae4789262d0"
          + "0a86a6fe47a578ae243faa2a3ed9f4fd22d1bc38527f4797548e568ca43f500c";
  static final String RECORD_PAYLOAD = "0a26" + ED_PEER_MH + "1001" + "1a0a" + "0a08" + "047f000001060fa1";
  static final String ENVELOPE = "0a24" + ED_PUB_PB + "1202" + "0301" + "1a36" + RECORD_PAYLOAD + "2a40"
      + "4504e51a36806e8eba9344a743f2e1cbd0170d2632fb413f98101f6e3ff26d3d"
      + "a91f4eedebf36383fa5819438bce1d7398117236e52d2d1dfce98196294ac60e";

  private Vectors() {}

  static byte[] b(String hex) {
    return HexFormat.of().parseHex(hex);
  }

  static String s(byte[] b) {
    return HexFormat.of().formatHex(b);
  }

  static PrivKey edKey() {
    return Keys.unmarshalPrivateKey(b(ED_PRIV_PB));
  }
}
