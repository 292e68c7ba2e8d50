<?xml version="1.0" encoding="UTF-8"?>
<!--
  person-report.xsl - the person's file (council-cli person report, format html),
  in Japanese, for printing and handing to the person (開示請求への回答).

  Input: the XML council-cli builds from council_person_report()'s JSON
  (element names are the JSON keys, arrays hold <item> elements; times carry
  a @date attribute in the council's time zone; ids carry a @name attribute
  when the register names them). Every text is escaped by libxslt's output.
  Councils may copy this file (installed under share/libcouncil/) and pass
  their own with the template option; the template may read no file and reach
  no network (council-cli forbids both).
-->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
  <xsl:output method="html" encoding="UTF-8" indent="yes"
              doctype-system="about:legacy-compat"/>

  <xsl:template name="when">
    <xsl:param name="n"/>
    <xsl:choose>
      <xsl:when test="$n/@date"><xsl:value-of select="$n/@date"/></xsl:when>
      <xsl:otherwise><xsl:value-of select="$n"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template name="who">
    <xsl:param name="n"/>
    <xsl:choose>
      <xsl:when test="$n/@name"><xsl:value-of select="$n/@name"/></xsl:when>
      <xsl:otherwise><xsl:value-of select="$n"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template name="list">
    <xsl:param name="n"/>
    <xsl:for-each select="$n/item">
      <xsl:if test="position() &gt; 1">、</xsl:if>
      <xsl:value-of select="."/>
    </xsl:for-each>
  </xsl:template>

  <xsl:template match="/report">
    <html lang="ja">
      <head>
        <meta charset="UTF-8"/>
        <title>保有個人データの開示（<xsl:value-of select="council/name"/>）</title>
        <style>
          body { font-family: "Noto Sans JP", "Hiragino Sans", "Yu Gothic", sans-serif;
                 font-size: 10.5pt; line-height: 1.6; margin: 2em; color: #000; }
          h1 { font-size: 16pt; border-bottom: 2px solid #000; }
          h2 { font-size: 12.5pt; margin-top: 1.6em; border-left: 6px solid #555; padding-left: .4em; }
          table { border-collapse: collapse; width: 100%; margin: .4em 0 1em; }
          th, td { border: 1px solid #666; padding: .2em .4em; vertical-align: top; text-align: left; }
          th { background: #eee; }
          .mono { font-family: monospace; font-size: 8.5pt; word-break: break-all; }
          .note { font-size: 9pt; color: #333; }
          pre { white-space: pre-wrap; margin: 0; font-family: inherit; }
          @media print {
            body { margin: 0; }
            h2 { page-break-after: avoid; }
            tr { page-break-inside: avoid; }
            .noprint { display: none; }
          }
          @page { size: A4; margin: 18mm 15mm; }
        </style>
      </head>
      <body>
        <h1>保有個人データの開示</h1>
        <table>
          <tr><th>協議会</th><td><xsl:value-of select="council/name"/></td></tr>
          <tr><th>作成日時</th><td><xsl:call-template name="when"><xsl:with-param name="n" select="produced/time"/></xsl:call-template></td></tr>
          <tr><th>作成者（事務局）</th><td><xsl:call-template name="who"><xsl:with-param name="n" select="produced/staff"/></xsl:call-template></td></tr>
          <tr><th>本人（人の番号）</th><td class="mono"><xsl:value-of select="person/id"/></td></tr>
          <tr><th>氏名</th><td><xsl:value-of select="sections/item[scope='identity']/versions/item[last()]/section/identity/name"/></td></tr>
          <tr><th>ケース番号</th><td class="mono"><xsl:value-of select="case/id"/></td></tr>
          <tr><th>状態</th><td><xsl:value-of select="case/status"/></td></tr>
          <tr><th>作成記録（監査ログ番号）</th><td><xsl:value-of select="produced/event_seq"/></td></tr>
        </table>

        <h2>記録されている情報</h2>
        <table>
          <tr><th>区分</th><th>版</th><th>記録日時</th><th>記録した機関</th><th>内容</th></tr>
          <xsl:for-each select="sections/item">
            <xsl:variable name="scope" select="scope"/>
            <xsl:for-each select="versions/item">
              <tr>
                <td><xsl:value-of select="$scope"/></td>
                <td><xsl:value-of select="version"/></td>
                <td><xsl:call-template name="when"><xsl:with-param name="n" select="written"/></xsl:call-template></td>
                <td><xsl:call-template name="who"><xsl:with-param name="n" select="writer_member"/></xsl:call-template></td>
                <td>
                  <xsl:for-each select="section//*[not(*)]">
                    <div><xsl:if test="name() != 'text' and name() != 'item'"><xsl:value-of select="name()"/>: </xsl:if><pre><xsl:value-of select="."/></pre></div>
                  </xsl:for-each>
                </td>
              </tr>
            </xsl:for-each>
          </xsl:for-each>
        </table>

        <h2>同意・不同意の記録</h2>
        <table>
          <tr><th>番号</th><th>種別</th><th>提供先</th><th>区分</th><th>目的</th><th>有効期間</th><th>状態</th></tr>
          <xsl:for-each select="consents/item">
            <tr>
              <td class="mono"><xsl:value-of select="id_text"/></td>
              <td><xsl:choose><xsl:when test="refusal='true'">不同意</xsl:when><xsl:otherwise>同意</xsl:otherwise></xsl:choose></td>
              <td><xsl:for-each select="recipient_members/item"><xsl:if test="position() &gt; 1">、</xsl:if><xsl:call-template name="who"><xsl:with-param name="n" select="."/></xsl:call-template></xsl:for-each><xsl:if test="external_party"> <xsl:value-of select="external_party"/></xsl:if></td>
              <td><xsl:call-template name="list"><xsl:with-param name="n" select="scopes"/></xsl:call-template></td>
              <td><xsl:call-template name="list"><xsl:with-param name="n" select="purposes"/></xsl:call-template></td>
              <td><xsl:call-template name="when"><xsl:with-param name="n" select="valid_from"/></xsl:call-template> 〜 <xsl:call-template name="when"><xsl:with-param name="n" select="valid_until"/></xsl:call-template></td>
              <td><xsl:value-of select="status"/><xsl:if test="withdrawal">（撤回 <xsl:call-template name="when"><xsl:with-param name="n" select="withdrawal/time"/></xsl:call-template>）</xsl:if></td>
            </tr>
          </xsl:for-each>
        </table>

        <h2>提供の記録（第三者提供）</h2>
        <table>
          <tr><th>ログ番号</th><th>日時</th><th>種類</th><th>提供先</th><th>区分</th><th>目的</th><th>根拠・同意</th><th>期限</th></tr>
          <xsl:for-each select="disclosures/item">
            <tr>
              <td><xsl:value-of select="seq"/></td>
              <td><xsl:call-template name="when"><xsl:with-param name="n" select="time"/></xsl:call-template></td>
              <td><xsl:value-of select="action"/></td>
              <td><xsl:call-template name="who"><xsl:with-param name="n" select="recipient"/></xsl:call-template></td>
              <td><xsl:call-template name="list"><xsl:with-param name="n" select="scopes"/></xsl:call-template></td>
              <td><xsl:value-of select="purpose"/></td>
              <td><xsl:value-of select="basis"/><xsl:if test="consent_id"> <span class="mono"><xsl:value-of select="consent_id"/></span></xsl:if></td>
              <td><xsl:call-template name="when"><xsl:with-param name="n" select="until"/></xsl:call-template></td>
            </tr>
          </xsl:for-each>
        </table>

        <h2>閲覧の記録</h2>
        <table>
          <tr><th>ログ番号</th><th>日時</th><th>機関</th><th>職員</th><th>目的</th><th>区分</th><th>葉ハッシュ</th></tr>
          <xsl:for-each select="reads/item">
            <tr>
              <td><xsl:value-of select="seq"/></td>
              <td><xsl:call-template name="when"><xsl:with-param name="n" select="time"/></xsl:call-template></td>
              <td><xsl:call-template name="who"><xsl:with-param name="n" select="member"/></xsl:call-template></td>
              <td><xsl:call-template name="who"><xsl:with-param name="n" select="staff"/></xsl:call-template></td>
              <td><xsl:value-of select="purpose"/></td>
              <td><xsl:call-template name="list"><xsl:with-param name="n" select="scopes"/></xsl:call-template></td>
              <td class="mono"><xsl:value-of select="leaf_hash"/></td>
            </tr>
          </xsl:for-each>
        </table>

        <h2>つなぎ（紹介）</h2>
        <table>
          <tr><th>日時</th><th>紹介元</th><th>紹介先</th><th>区分</th><th>目的</th><th>根拠</th><th>状態</th></tr>
          <xsl:for-each select="referrals/item">
            <tr>
              <td><xsl:call-template name="when"><xsl:with-param name="n" select="created"/></xsl:call-template></td>
              <td><xsl:call-template name="who"><xsl:with-param name="n" select="from_member"/></xsl:call-template></td>
              <td><xsl:call-template name="who"><xsl:with-param name="n" select="to_member"/></xsl:call-template></td>
              <td><xsl:call-template name="list"><xsl:with-param name="n" select="scopes"/></xsl:call-template></td>
              <td><xsl:value-of select="purpose"/></td>
              <td><xsl:value-of select="basis"/></td>
              <td><xsl:value-of select="state"/></td>
            </tr>
          </xsl:for-each>
        </table>

        <h2>会議（このケースが議題になったもの）</h2>
        <table>
          <tr><th>会議番号</th><th>種類</th><th>開始</th><th>終了</th><th>出席機関</th><th>区分</th><th>根拠</th></tr>
          <xsl:for-each select="meetings/item">
            <xsl:variable name="m" select="."/>
            <xsl:for-each select="items/item">
              <tr>
                <td class="mono"><xsl:value-of select="$m/id"/></td>
                <td><xsl:value-of select="$m/body"/></td>
                <td><xsl:call-template name="when"><xsl:with-param name="n" select="$m/starts"/></xsl:call-template></td>
                <td><xsl:call-template name="when"><xsl:with-param name="n" select="$m/ends"/></xsl:call-template></td>
                <td><xsl:call-template name="who"><xsl:with-param name="n" select="attendee"/></xsl:call-template></td>
                <td><xsl:call-template name="list"><xsl:with-param name="n" select="scopes"/></xsl:call-template></td>
                <td><xsl:value-of select="basis"/></td>
              </tr>
            </xsl:for-each>
          </xsl:for-each>
        </table>

        <h2>協力要請</h2>
        <table>
          <tr><th>番号</th><th>要請先</th><th>種類</th><th>区分</th><th>根拠</th><th>期限</th><th>状態</th><th>提供された区分</th></tr>
          <xsl:for-each select="requests/item">
            <tr>
              <td class="mono"><xsl:value-of select="id_text"/></td>
              <td><xsl:call-template name="who"><xsl:with-param name="n" select="member"/></xsl:call-template></td>
              <td><xsl:call-template name="list"><xsl:with-param name="n" select="kinds"/></xsl:call-template></td>
              <td><xsl:call-template name="list"><xsl:with-param name="n" select="scopes"/></xsl:call-template></td>
              <td><xsl:value-of select="basis"/></td>
              <td><xsl:call-template name="when"><xsl:with-param name="n" select="due"/></xsl:call-template></td>
              <td><xsl:value-of select="state"/></td>
              <td><xsl:call-template name="list"><xsl:with-param name="n" select="provided"/></xsl:call-template></td>
            </tr>
          </xsl:for-each>
        </table>

        <h2>共有（現在と過去）</h2>
        <table>
          <tr><th>機関</th><th>区分</th><th>目的</th><th>根拠</th><th>開始</th><th>期限</th><th>取消</th></tr>
          <xsl:for-each select="case/shares/item">
            <tr>
              <td><xsl:call-template name="who"><xsl:with-param name="n" select="member_id"/></xsl:call-template></td>
              <td><xsl:value-of select="scope"/></td>
              <td><xsl:value-of select="purpose"/></td>
              <td><xsl:value-of select="basis"/></td>
              <td><xsl:call-template name="when"><xsl:with-param name="n" select="granted"/></xsl:call-template></td>
              <td><xsl:call-template name="when"><xsl:with-param name="n" select="expires"/></xsl:call-template></td>
              <td><xsl:call-template name="when"><xsl:with-param name="n" select="revoked"/></xsl:call-template></td>
            </tr>
          </xsl:for-each>
        </table>

        <p class="note">
          各記録のログ番号と葉ハッシュは、協議会の監査ログ（公開鍵
          <span class="mono"><xsl:value-of select="council/log_verifier_key"/></span>）の
          包含証明（council-cli audit prove）で確かめることができます。
          監査ログの全件（<xsl:value-of select="log/tree_size"/> 件）を照合して作成しました。
        </p>
      </body>
    </html>
  </xsl:template>
</xsl:stylesheet>
